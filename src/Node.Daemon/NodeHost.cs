using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Daemon.Api;
using Node.Daemon.Reasoning;
using Node.Daemon.Api.Access;
using Node.Daemon.Binding;
using Node.Daemon.CommandLine;
using Node.Daemon.Configuration;
using Node.Daemon.Dashboard;
using Node.Daemon.Health;
using Node.Daemon.Lifecycle;
using Node.Daemon.Memory;
using Node.Daemon.PeerListener;
using Node.Daemon.Systemd;
using Node.Federation;
using Node.Federation.Clock;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Peers;
using Node.Federation.Trust;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Writing;
using Serilog;
using Serilog.Core;

namespace Node.Daemon;

/// <summary>The composition root: the generic host of the node, with every service it runs.</summary>
public static class NodeHost
{
    /// <summary>Longest a clean shutdown may take before the host gives up on a service.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Builds the host of a validated configuration over the node's open <paramref name="state"/>
    /// (which the host does not own). <paramref name="customize"/> lets tests add or replace
    /// services (a loop that hangs) before the host is built.
    /// </summary>
    public static IHost Build(DaemonLaunch launch, IConfigurationRoot configuration, LiveConfiguration live, Logger logger, LoggingLevelSwitch level,
        string apiSocket, NodeState state, HangupSignal hangup, Action<IHostApplicationBuilder>? customize = null)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(hangup);

        ArgumentException.ThrowIfNullOrWhiteSpace(apiSocket);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "sovereign-node",
            ContentRootPath = launch.WorkingDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddConfiguration(configuration, shouldDisposeConfiguration: false);

        // The local API: gRPC over HTTP/2 on a Unix socket; on TCP (127.0.0.1, API keys) only when enabled.
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.UseApiAccess(); // first: it marks the connections of the listeners after it
            kestrel.ListenUnixSocket(apiSocket, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.AddServerHeader = false;
        });
        // Kestrel's buffers from a pool that gives them back when idle (Kestrel's own keeps a burst's for good).
        builder.Services.AddSingleton<TrimmableMemoryPoolFactory>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IMemoryPoolFactory<byte>>(sp => sp.GetRequiredService<TrimmableMemoryPoolFactory>()));
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = ApiLimits.MaxRequestBytes;
            grpc.Interceptors.Add<ApiErrorInterceptor>();
            // Only undecodable requests fail outside the interceptor: named, see UndecodableRequests.
            grpc.EnableDetailedErrors = true;
        });
        // Each service's methods from a table, not found by reflection (~50 ms of start-up for the ten).
        builder.Services.AddApiMethods();
        // Server reflection over the descriptors we serve, named here: the package that finds them
        // by reflecting over service types is not trim-safe.
        builder.Services.AddSingleton(_ => new Grpc.Reflection.ReflectionServiceImpl(
            [.. Node.Protocol.Api.ApiReflection.Descriptor.Services, Grpc.Health.V1.Health.Descriptor]));
        builder.Services.AddSingleton<HealthServiceImpl>();
        builder.Services.AddSingleton<NodeClock>();

        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddSerilog(logger);

        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        services.AddSingleton(launch);
        services.AddSingleton(launch.Systemd);
        services.AddSingleton(configuration);
        services.AddSingleton(live);
        services.AddSingleton(level);
        services.AddSingleton(launch.Time);
        services.AddNodeOptions(configuration, launch);

        // systemd: Microsoft's package registers its notifier and lifetime only when systemd is
        // our parent; ours speak whenever NOTIFY_SOCKET is set, as sd_notify does.
        services.AddSystemd();
        services.AddSingleton(_ => new NotifySocket(launch.Systemd.NotifySocket));
        services.Replace(ServiceDescriptor.Singleton<ISystemdNotifier>(sp => sp.GetRequiredService<NotifySocket>()));
        if (launch.Systemd.NotifySocket is not null)
        {
            services.Replace(ServiceDescriptor.Singleton<IHostLifetime, SystemdLifetime>());
        }

        services.AddSingleton(state.Loops);
        services.AddSingleton(hangup);
        services.AddHostedService<NodeLifecycle>();
        services.AddStorage(state.Store);
        services.AddNodeIdentity(state.Identity);
        // The clock of every packet this node authors: its ceiling is written with the packets it
        // stamps, so its timestamps keep growing across restarts.
        services.AddSingleton(sp => new HybridClock(sp.GetRequiredService<TimeProvider>(), state.Store.Writer.ClockCeiling, state.Store.Writer.RaiseClockCeiling));
        services.AddSingleton<LocalPackets>();
        services.AddSingleton<BackupApi>();
        services.AddSingleton<PeerRegistry>();
        services.AddSingleton<KnowledgeSlots>();
        services.AddPacketScrub();
        // The peer listener starts before discovery: what is announced is the port it bound and the manifest naming it.
        services.AddPeerLink(state.Certificate, sp => sp.GetRequiredService<IOptions<NodeOptions>>().Value.Name, HelpText.Version);
        services.AddSingleton<PeerServer>();
        services.AddHostedService(sp => sp.GetRequiredService<PeerServer>());
        services.AddPeerLinkHost();
        services.AddSync();
        services.AddSingleton<ViewSummaries>();
        services.AddDiscovery(sp => sp.GetRequiredService<IOptions<NodeOptions>>().Value.Name);
        services.AddSingleton<ConfigReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<ConfigReloader>());
        services.AddHostedService<WatchdogService>();
        services.AddHostedService<MemoryTrimmer>();
        if (MemoryReport.Interval(launch.Environment) is { } memoryReport)
        {
            services.AddHostedService(sp => new MemoryReport(memoryReport, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<MemoryReport>>()));
        }
        services.AddReasoning();

        services.AddHostedService(sp => new ApiSocketLifecycle(apiSocket, sp.GetRequiredService<HealthServiceImpl>(),
            sp.GetRequiredService<IHostApplicationLifetime>()));
        services.AddApiAccess();
        services.AddDashboard();

        customize?.Invoke(builder);
        var app = builder.Build();
        app.UseApiAccess(); // first: a call without a valid key is refused before its request is read
        app.UseUndecodableRequests();
        app.MapGrpcMethods<NodeApi>();
        app.MapGrpcMethods<LogApi>();
        app.MapGrpcMethods<KnowledgeApi>();
        app.MapGrpcMethods<PeerApi>();
        app.MapGrpcMethods<FederationApi>();
        app.MapGrpcMethods<DecisionApi>();
        app.MapGrpcMethods<BackupApi>();
        app.MapGrpcMethods<StoreApi>();
        app.MapGrpcMethods<ReasoningApi>();
        app.MapGrpcMethods<HealthServiceImpl>();
        app.MapGrpcMethods<Grpc.Reflection.ReflectionServiceImpl>();
        app.MapApiAccess();
        app.MapGrpcMethods<DashboardApi>();
        return app;
    }
}
