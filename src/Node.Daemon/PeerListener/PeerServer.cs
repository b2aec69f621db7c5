using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Daemon.Binding;
using Node.Daemon.Memory;
using Node.Federation;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Link.Server;
using Node.Federation.Link.Tls;
using Node.Federation.Peers;
using Node.Protocol.Peer;

namespace Node.Daemon.PeerListener;

/// <summary>
/// The peer listener: TLS 1.3 gRPC on <c>Federation:PeerPort</c> (0 picks a free port), a Kestrel
/// server of its own beside the local API's, so nothing of the local API (its key interceptor, its
/// limits, its services) is ever reachable from the LAN, and the peer rules apply to every call.
/// Started before the node says READY=1; once bound, this node's manifest is issued for the port it
/// got. Stopping revokes open calls first, so Heartbeat streams do not hold the stop.
/// </summary>
internal sealed partial class PeerServer(IOptions<FederationOptions> federation, LocalManifest local, PeerLinkService service, PeerCallGate gate,
    PeerCalls calls, PeerRefusals refusals, PeerRegistry peers, ManifestBook manifests, TrimmableMemoryPoolFactory pools, ILoggerFactory loggers, TimeProvider time) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<PeerServer>();
    private readonly ConnectionSlots _slots = new();
    private WebApplication? _app;
    private ListenOptions? _listen;

    /// <summary>The address the listener is bound to, once started.</summary>
    public IPEndPoint? BoundEndPoint => _listen?.IPEndPoint;

    /// <summary>Connections holding a slot now.</summary>
    public int OpenConnections => _slots.Open;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "sovereign-node-peer" });
        builder.Services.Replace(ServiceDescriptor.Singleton(loggers));
        builder.Services.Replace(ServiceDescriptor.Singleton<IMemoryPoolFactory<byte>>(pools));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton(service);
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = PeerLimits.MaxRequestBytes;
            grpc.MaxSendMessageSize = PeerLimits.MaxReplyBytes;
            grpc.EnableDetailedErrors = false; // an exception's text never goes to a peer
        });
        builder.Services.AddGrpcMethods(new GrpcMethods<PeerLinkService>(PeerService.Descriptor)
        {
            { nameof(PeerLinkService.Hello), (PeerLinkService s, HelloRequest r, Grpc.Core.ServerCallContext c) => s.Hello(r, c) },
            { nameof(PeerLinkService.Heartbeat), (PeerLinkService s, Grpc.Core.IAsyncStreamReader<Beat> r, Grpc.Core.IServerStreamWriter<Beat> w, Grpc.Core.ServerCallContext c) => s.Heartbeat(r, w, c) },
            { nameof(PeerLinkService.Query), (PeerLinkService s, QueryRequest r, Grpc.Core.ServerCallContext c) => s.Query(r, c) },
            { nameof(PeerLinkService.CatchUp), (PeerLinkService s, CatchUpRequest r, Grpc.Core.ServerCallContext c) => s.CatchUp(r, c) },
            { nameof(PeerLinkService.Reconcile), (PeerLinkService s, ReconcileRequest r, Grpc.Core.ServerCallContext c) => s.Reconcile(r, c) },
            { nameof(PeerLinkService.Fetch), (PeerLinkService s, FetchRequest r, Grpc.Core.ServerCallContext c) => s.Fetch(r, c) },
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(Configure);
        var app = builder.Build();
        app.Use(new PeerCallMiddleware(gate, calls, refusals, time).InvokeAsync);
        app.MapGrpcMethods<PeerLinkService>();
        peers.TierChanged += OnTierChanged;
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            peers.TierChanged -= OnTierChanged;
            await app.DisposeAsync().ConfigureAwait(false);
            // Kestrel says "address already in use" as an IOException: name the setting that chose the port.
            throw new PeerListenerException($"The peer listener cannot listen on port {federation.Value.PeerPort} (Federation:PeerPort): {ex.Message}", ex);
        }

        _app = app;
        var bound = BoundEndPoint!;
        var manifest = local.Refresh(bound.Port);
        LogListening(_logger, bound.Port, local.Certificate.Fingerprint, manifest.Hash, manifest.ExpiresAt);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        peers.TierChanged -= OnTierChanged;
        calls.RevokeAll("the node is stopping");
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        // Peers' manifests are written off the Hello path: the last of them before the store closes.
        await manifests.FlushAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnTierChanged(Node.Federation.Identity.NodeId peer, Node.Federation.Trust.TrustTier tier)
    {
        foreach (var call in calls.OnTierChanged(peer, tier))
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var method = call.Method.ToString();
                var id = peer.ToString();
                var name = PeerRegistry.TierName(tier);
                LogRevoked(_logger, method, id, name);
            }
        }
    }

    private void Configure(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        var limits = kestrel.Limits;
        limits.MaxConcurrentConnections = null;   // ours, per address too (ConnectionSlots): Kestrel's logs a warning per refusal
        limits.MaxRequestBodySize = PeerLimits.MaxRequestBytes;
        limits.MaxRequestHeadersTotalSize = 8 * 1024;
        limits.MaxRequestHeaderCount = 32;
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        limits.Http2.MaxStreamsPerConnection = PeerLimits.MaxStreamsPerConnection;
        limits.Http2.MaxRequestHeaderFieldSize = 4 * 1024;
        limits.Http2.HeaderTableSize = 4096;
        // What one peer can make us buffer: 128 connections × 128 KiB, not × 1 MiB.
        limits.Http2.InitialConnectionWindowSize = 128 * 1024;
        limits.Http2.InitialStreamWindowSize = 64 * 1024;
        limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
        limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(15);
        kestrel.ListenAnyIP(federation.Value.PeerPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => new PeerConnectionGate(next, _slots, refusals, time).OnConnectionAsync);
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                HandshakeTimeout = PeerLimits.HandshakeTimeout,
                OnConnection = context => ValueTask.FromResult(PeerTls.ServerOptions(local.Certificate,
                    context.Connection.Features.Get<PeerConnection>() ?? new PeerConnection(context.Connection.RemoteEndPoint, ConnectionSlots.SourceOf(null)))),
            });
            listen.Use(next => context =>
            {
                if (context.Features.Get<PeerConnection>() is { } connection)
                {
                    connection.HandshakeCompleted = true;
                }

                return next(context);
            });
            _listen = listen;
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer listener on port {Port} (TLS 1.3), certificate sha256 {Fingerprint}; manifest {Manifest} valid until {Expires:u}.")]
    private static partial void LogListening(ILogger logger, int port, string fingerprint, string manifest, DateTimeOffset expires);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer call {Method} of {NodeId} ended: its tier here is now {Tier}.")]
    private static partial void LogRevoked(ILogger logger, string method, string nodeId, string tier);
}

/// <summary>The peer listener could not start (the port is taken, or not ours to bind).</summary>
internal sealed class PeerListenerException(string message, Exception inner) : Exception(message, inner);
