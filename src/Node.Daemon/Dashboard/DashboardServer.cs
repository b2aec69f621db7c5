using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Daemon.CommandLine;
using Node.Daemon.Configuration;
using Node.Daemon.Memory;
using Node.Daemon.Metrics;
using Node.Federation.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Node.Daemon.Dashboard;

/// <summary>
/// The dashboard listener (<see cref="DashboardOptions"/>): HTTP/1.1 on 127.0.0.1:8101 when
/// enabled, a Kestrel server of its own beside the local API's and the peer listener's, so nothing
/// of either is reachable through it. Serves the pages behind a session (<see cref="DashboardPages"/>)
/// and <c>/metrics</c>, the Prometheus text of <see cref="NodeMetrics"/> through OpenTelemetry's
/// exporter, behind the metrics token (<see cref="DashboardGate"/>).
/// </summary>
internal sealed partial class DashboardServer(IOptions<DashboardOptions> options, IOptionsMonitor<NodeOptions> node, DashboardAccess access,
    DashboardRateLimiter rate, NodeMetrics metrics, TrimmableMemoryPoolFactory pools, ILoggerFactory loggers, TimeProvider time)
    : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<DashboardServer>();
    private WebApplication? _app;
    private ListenOptions? _listen;
    private RefusalLog? _refusals;
    private IReadOnlySet<string>? _hosts;

    /// <summary>Whether the dashboard is on (<c>Dashboard:Enabled</c>).</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>The end point bound, once started; null when the dashboard is off.</summary>
    public IPEndPoint? BoundEndPoint => _app is null ? null : _listen?.IPEndPoint;

    /// <summary>
    /// The address a browser on this machine opens, as <c>http://127.0.0.1:8101</c> (the bound port;
    /// loopback for an address of every interface); null until started.
    /// </summary>
    public string? BaseUrl => BoundEndPoint is { } bound ? $"http://{UrlHost(bound.Address)}:{bound.Port}" : null;

    /// <summary>The meter the exporter reads (its instruments live as long as the node).</summary>
    public NodeMetrics Metrics => metrics;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            LogOff(_logger);
            return;
        }

        _ = access.MetricsToken; // read (or made) now: a token file that cannot be used stops the start, naming it
        var address = IPAddress.Parse(options.Value.Address);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "sovereign-node-dashboard" });
        builder.Services.Replace(ServiceDescriptor.Singleton(loggers));
        builder.Services.Replace(ServiceDescriptor.Singleton<IMemoryPoolFactory<byte>>(pools));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sovereign-node", serviceVersion: HelpText.Version, autoGenerateServiceInstanceId: false))
            .WithMetrics(meters => meters.AddMeter(NodeMetrics.MeterName).AddPrometheusExporter());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => Configure(kestrel, address));
        var app = builder.Build();
        _refusals = new RefusalLog(time, _logger, "dashboard requests");
        var gate = new DashboardGate(access, rate, _refusals, _logger, () => _hosts);
        app.Use(gate.InvokeAsync);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null,
            predicate: context => context.Request.Path.Equals(DashboardGate.MetricsPath, StringComparison.Ordinal),
            path: null, configureBranchedPipeline: null, optionsName: null);
        app.Run(new DashboardPages(access, gate, () => node.CurrentValue.Name).InvokeAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            // Kestrel says "address already in use" as an IOException: name the settings that chose it.
            throw new DashboardListenerException(
                $"The dashboard cannot listen on {options.Value.Address} port {options.Value.Port} (Dashboard:Address, Dashboard:Port): {ex.Message}", ex);
        }

        _app = app;
        var bound = BoundEndPoint!;
        _hosts = IPAddress.IsLoopback(address) ? LoopbackHosts(bound.Port) : null;
        var endPoint = bound.ToString();
        LogListening(_logger, endPoint, BaseUrl!);
        if (!IPAddress.IsLoopback(address))
        {
            LogNotLoopback(_logger, options.Value.Address);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }

        _refusals?.Dispose();
    }

    private void Configure(KestrelServerOptions kestrel, IPAddress address)
    {
        kestrel.AddServerHeader = false;
        var limits = kestrel.Limits;
        limits.MaxConcurrentConnections = DashboardLimits.MaxConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        limits.MaxRequestBodySize = DashboardLimits.MaxBodyBytes;
        limits.MaxRequestHeadersTotalSize = DashboardLimits.MaxHeaderBytes;
        limits.MaxRequestHeaderCount = 64;
        limits.RequestHeadersTimeout = DashboardLimits.HeadersTimeout;
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        kestrel.Listen(address, options.Value.Port, listen =>
        {
            // Browsers speak HTTP/2 only over TLS, and this listener has none.
            listen.Protocols = HttpProtocols.Http1;
            _listen = listen;
        });
    }

    // The names a browser on this machine may address a loopback listener by; any other Host is a
    // page of another site reaching it through DNS rebinding.
    private static HashSet<string> LoopbackHosts(int port) => new(StringComparer.OrdinalIgnoreCase)
    {
        $"127.0.0.1:{port}", $"localhost:{port}", $"[::1]:{port}",
    };

    private static string UrlHost(IPAddress address) =>
        address.Equals(IPAddress.Any) ? "127.0.0.1"
        : address.Equals(IPAddress.IPv6Any) ? "[::1]"
        : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]"
        : address.ToString();

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard on {EndPoint} ({Url}): 'nodectl dashboard' prints a login link; /metrics takes the metrics token.")]
    private static partial void LogListening(ILogger logger, string endPoint, string url);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Dashboard:Address is {Address}, not loopback: other machines can reach the dashboard, over HTTP without TLS (a session cookie or the metrics token can be read on the way). Prefer 127.0.0.1 and an SSH tunnel.")]
    private static partial void LogNotLoopback(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dashboard off (Dashboard:Enabled is false).")]
    private static partial void LogOff(ILogger logger);
}
