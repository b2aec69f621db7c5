using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Node.Daemon.Api.Access;

/// <summary>
/// The optional TCP listener (<see cref="ApiTcpOptions"/>): gRPC over HTTP/2 cleartext on
/// 127.0.0.1 and nowhere else, added to Kestrel when enabled; once the node has started, logs
/// the port it is bound to (the one chosen when the configured port is 0).
/// </summary>
internal sealed partial class ApiTcpListener(IOptions<ApiTcpOptions> options, IHostApplicationLifetime lifetime, ILogger<ApiTcpListener> logger)
    : IHostedService
{
    private ListenOptions? _listen;

    /// <summary>The end point bound, once the server has started; null when the listener is off.</summary>
    public IPEndPoint? EndPoint => _listen?.IPEndPoint;

    /// <summary>
    /// Marks the connections of every listener <paramref name="kestrel"/> is given from now on with
    /// their transport (<see cref="ApiConnections"/>), and adds the TCP listener when
    /// <see cref="ApiTcpOptions.Enabled"/>.
    /// </summary>
    public void AddTo(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(ApiConnections.Mark));
        if (!options.Value.Enabled)
        {
            return;
        }

        // Loopback only, and not configurable: there is no TLS here, so a key sent over a network
        // could be read on the way. Remote clients come through an SSH tunnel.
        kestrel.Listen(IPAddress.Loopback, options.Value.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            _listen = listen;
        });
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            // Kestrel has bound by now and put the actual port (for port 0) into the listen options.
            if (EndPoint is { } bound)
            {
                var endPoint = bound.ToString();
                LogListening(logger, endPoint);
            }
            else
            {
                LogOff(logger);
            }
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "API TCP listener on {EndPoint} (HTTP/2 cleartext, loopback only): every call needs an API key.")]
    private static partial void LogListening(ILogger logger, string endPoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "API TCP listener off (Api:Tcp:Enabled is false): the API is on the Unix socket only.")]
    private static partial void LogOff(ILogger logger);
}
