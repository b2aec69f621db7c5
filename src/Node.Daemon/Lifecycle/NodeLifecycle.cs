using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Daemon.Configuration;
using Node.Daemon.Systemd;
using Node.Federation.Identity;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Writing;
using Node.Storage.Events.Payloads;

namespace Node.Daemon.Lifecycle;

/// <summary>
/// Tells the operator (log and <c>systemctl status</c>) where the node is in its life: starting,
/// ready, stopping; and records start and stop in the event log. Registered first, so its start
/// runs before every other service's and its stop after them all (the store stays open until the
/// host is gone, so <c>node.stopped</c> is the log's last entry of a run).
/// </summary>
internal sealed partial class NodeLifecycle(
    IOptionsMonitor<NodeOptions> node,
    NotifySocket notify,
    IHostApplicationLifetime lifetime,
    DaemonLaunch launch,
    NodeStore store,
    IdentityHost identity,
    ILogger<NodeLifecycle> logger) : IHostedLifecycleService, IDisposable
{
    private PosixSignalRegistration? _sigint;

    /// <summary>Says the node is starting, before its state is opened (the daemon calls it before the host exists).</summary>
    public static void AnnounceStarting(ILogger<NodeLifecycle> logger, NotifySocket notify, ResolvedSettings settings, DaemonLaunch launch)
    {
        notify.Status($"Starting node {settings.Node.Name}");
        LogStarting(logger, settings.Node.Name, HelpTextVersion, settings.Node.DataDirectory, settings.Log.Directory,
            settings.Federation.PeerPort, launch.ConfigFile ?? "(none)", launch.ProcessId);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // systemd's lifetime stops on SIGTERM only; an operator's Ctrl+C must stop the node as cleanly.
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            lifetime.StopApplication();
        });
        lifetime.ApplicationStopping.Register(() =>
        {
            notify.Status("Stopping");
            LogStopping(logger, node.CurrentValue.Name);
        });
        return Task.CompletedTask;
    }

    // After every service started, before ApplicationStarted (when systemd is told READY=1).
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await RecordAsync(EventKinds.NodeStarted, c => c.AppendEvent(new NodeStartedEvent(node.CurrentValue.Name, HelpTextVersion, launch.ProcessId)),
            cancellationToken).ConfigureAwait(false);
        var id = identity.Identity.Id.ToString();
        notify.Status($"Ready: node {node.CurrentValue.Name} ({id}), state in {store.Directory}");
        LogReady(logger, node.CurrentValue.Name, id);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Last of all services' stops: what they wrote while stopping precedes node.stopped.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        await RecordAsync(EventKinds.NodeStopped, c => c.AppendEvent(new NodeStoppedEvent(node.CurrentValue.Name, HelpTextVersion, launch.ProcessId)),
            cancellationToken).ConfigureAwait(false);
        LogStopped(logger, node.CurrentValue.Name);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _sigint?.Dispose();
        _sigint = null;
    }

    // Start and stop are state changes: the event log records them.
    private async Task RecordAsync(string kind, Func<WriteContext, EventEntry> record, CancellationToken cancellationToken)
    {
        try
        {
            await store.Writer.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreWriteException or ObjectDisposedException or OperationCanceledException)
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
