using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Daemon.Configuration;
using Node.Daemon.Systemd;
using Node.Federation;
using Node.Federation.Identity;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Writing;

namespace Node.Daemon.Lifecycle;

/// <summary>
/// Tells the operator (log and <c>systemctl status</c>) where the node is in its life: starting,
/// ready, stopping. Registered first, so its start runs before every other service's.
/// </summary>
internal sealed partial class NodeLifecycle(
    IOptionsMonitor<NodeOptions> node,
    IOptions<LogOptions> log,
    IOptions<FederationOptions> federation,
    NotifySocket notify,
    IHostApplicationLifetime lifetime,
    DaemonLaunch launch,
    StoreHost store,
    IdentityHost identity,
    ILogger<NodeLifecycle> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _sigint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // systemd's lifetime stops on SIGTERM only; an operator's Ctrl+C must stop the node as cleanly.
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            lifetime.StopApplication();
        });

        var options = node.CurrentValue;
        notify.Status($"Starting node {options.Name}");
        LogStarting(logger, options.Name, HelpTextVersion, options.DataDirectory, log.Value.Directory,
            federation.Value.PeerPort, launch.ConfigFile ?? "(none)", launch.ProcessId);
        lifetime.ApplicationStarted.Register(() =>
        {
            Record(EventKinds.NodeStarted);
            var id = identity.Identity.Id.ToString();
            notify.Status($"Ready: node {node.CurrentValue.Name} ({id}), state in {options.DataDirectory}");
            LogReady(logger, node.CurrentValue.Name, id);
        });
        lifetime.ApplicationStopping.Register(() =>
        {
            Record(EventKinds.NodeStopped);
            notify.Status("Stopping");
            LogStopping(logger, node.CurrentValue.Name);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        LogStopped(logger, node.CurrentValue.Name);
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _sigint?.Dispose();
        _sigint = null;
    }

    // Start and stop are state changes: the event log records them. Runs before the store closes
    // (stopping callbacks precede every service's StopAsync).
    private void Record(string kind)
    {
        var payload = $$"""{"name":{{JsonSerializer.Serialize(node.CurrentValue.Name, DaemonJson.Default.String)}},"version":"{{HelpTextVersion}}","pid":{{launch.ProcessId}}}""";
        // node.stopped may come before the identity was loaded (a stop during start-up); the name and pid say enough.
        try
        {
            store.Store.Writer.WriteAsync(c => c.AppendEvent(kind, payload)).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is StoreWriteException or InvalidOperationException or ObjectDisposedException)
        {
            LogNotRecorded(logger, kind, ex.Message);
        }
    }

    private static string HelpTextVersion => CommandLine.HelpText.Version;

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Name} starting: version {Version}, state {DataDirectory}, logs {LogDirectory}, peer port {PeerPort}, config {ConfigFile}, pid {Pid}.")]
    private static partial void LogStarting(ILogger logger, string name, string version, string dataDirectory, string logDirectory, int peerPort, string configFile, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Kind} in the event log: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Name} ready: node id {NodeId}.")]
    private static partial void LogReady(ILogger logger, string name, string nodeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Name} stopping.")]
    private static partial void LogStopping(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Name} stopped cleanly.")]
    private static partial void LogStopped(ILogger logger, string name);
}
