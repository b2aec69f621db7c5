using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Daemon.Api;
using Node.Daemon.CommandLine;
using Node.Daemon.Configuration;
using Node.Daemon.Lifecycle;
using Node.Daemon.Logging;
using Node.Daemon.Replay;
using Node.Daemon.Systemd;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Storage;
using Node.Storage.Backup;
using Serilog.Core;
using Serilog.Extensions.Logging;

namespace Node.Daemon;

/// <summary>
/// <c>sovereign-node</c> from arguments to exit code: parse, configure, check, log, run.
/// </summary>
public static class DaemonProgram
{
    /// <summary>Runs the daemon.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="describeLaunch">Makes the launch from the parsed command line (the real process, or a test's).</param>
    /// <param name="output">Where help, version and command results go.</param>
    /// <param name="error">Where usage and configuration errors go.</param>
    /// <param name="customize">Changes to the host before it is built (tests).</param>
    /// <param name="stoppingToken">Stops the node when cancelled, as SIGTERM does.</param>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<DaemonCommandLine, DaemonLaunch> describeLaunch,
        TextWriter output, TextWriter error, Action<IHostApplicationBuilder>? customize = null, CancellationToken stoppingToken = default)
    {
        ArgumentNullException.ThrowIfNull(describeLaunch);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        if (args.Count > 0 && args[0] == "replay")
        {
            return RunReplay(args, output, error);
        }

        if (!DaemonCommandLine.TryParse(args, out var commandLine, out var usageError))
        {
            await error.WriteLineAsync($"sovereign-node: {usageError}\nTry 'sovereign-node --help'.").ConfigureAwait(false);
            return ExitCodes.ConfigError;
        }

        switch (commandLine.Command)
        {
            case DaemonCommand.Help:
                await output.WriteAsync(HelpText.Usage()).ConfigureAwait(false);
                return ExitCodes.Ok;
            case DaemonCommand.Version:
                await output.WriteLineAsync(HelpText.VersionLine).ConfigureAwait(false);
                return ExitCodes.Ok;
        }

        // First of all: a SIGHUP from here on is held for the reloader, never the default (death).
        using var hangup = commandLine.Command == DaemonCommand.Run ? new HangupSignal() : null;
        var launch = describeLaunch(commandLine);
        using var notify = new NotifySocket(launch.Systemd.NotifySocket);
        if (!NodeConfiguration.TryBuild(launch, out var configuration, out var configError))
        {
            return await ConfigurationFailed(error, notify, [configError]).ConfigureAwait(false);
        }

        LiveConfiguration live;
        ResolvedSettings settings;
        using (configuration as IDisposable)
        {
            var problems = NodeOptionsRegistration.Check(configuration, launch, out var resolved);
            if (problems.Count > 0)
            {
                return await ConfigurationFailed(error, notify, problems).ConfigureAwait(false);
            }

            settings = resolved!;
            live = new LiveConfiguration(configuration);
        }

        if (commandLine.Command == DaemonCommand.Restore)
        {
            return await RestoreAsync(commandLine.RestoreFrom!, commandLine.RestoreMarkCorrupt, settings, output, error).ConfigureAwait(false);
        }

        if (commandLine.Command == DaemonCommand.NewStore)
        {
            return await NewStoreAsync(settings, launch.Time, output, error).ConfigureAwait(false);
        }

        foreach (var (directory, what) in (ReadOnlySpan<(string, string)>)[(settings.Node.DataDirectory, "State directory"), (settings.Log.Directory, "Log directory")])
        {
            if (!StateDirectory.TryPrepare(directory, out var directoryError, what))
            {
                await error.WriteLineAsync($"sovereign-node: {directoryError}").ConfigureAwait(false);
                notify.Status($"Failed: {directoryError}");
                return ExitCodes.Failure;
            }
        }

        if (NodeLogging.FindUnusablePath(settings.Log.Directory) is { } logProblem)
        {
            await error.WriteLineAsync($"sovereign-node: {logProblem}").ConfigureAwait(false);
            notify.Status($"Failed: {logProblem}");
            return ExitCodes.StateUnusable;
        }

        using var root = new ConfigurationBuilder().Add(live).Build() as ConfigurationRoot;
        var level = NodeLogging.LevelSwitch(settings.Log.Level);
        var logFiles = new LossyLogFiles(error);
        int exitCode;
        await using (var logger = NodeLogging.Create(settings.Log, level, ConsoleKindDetector.Detect(launch.Systemd), logFiles))
        {
            exitCode = await RunHostAsync(launch, root!, live, settings, logger, level, notify, hangup!, error, customize, stoppingToken).ConfigureAwait(false);
        }

        // After the files are closed: a full disk ends the node as it would have ended, with the count.
        logFiles.ReportDropped();
        return exitCode;
    }

    private static async Task<int> RunHostAsync(DaemonLaunch launch, IConfigurationRoot root, LiveConfiguration live, ResolvedSettings settings, Logger logger,
        LoggingLevelSwitch level, NotifySocket notify, HangupSignal hangup, TextWriter error, Action<IHostApplicationBuilder>? customize,
        CancellationToken stoppingToken)
    {
        using var loggers = new SerilogLoggerFactory(logger);
        NodeLifecycle.AnnounceStarting(loggers.CreateLogger<NodeLifecycle>(), notify, settings, launch);
        NodeState state;
        try
        {
            state = await NodeState.OpenAsync(settings, launch.Time, loggers, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreOpenException or IdentityException)
        {
            return await StateUnusable(ex.Message, logger, notify, error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        await using (state.ConfigureAwait(false))
        {
            return await RunHostAsync(launch, root, live, settings.Api.Socket, logger, level, notify, hangup, state, error, customize, stoppingToken)
                .ConfigureAwait(false);
        }
    }

    private static async Task<int> RunHostAsync(DaemonLaunch launch, IConfigurationRoot root, LiveConfiguration live, string apiSocket, Logger logger,
        LoggingLevelSwitch level, NotifySocket notify, HangupSignal hangup, NodeState state, TextWriter error, Action<IHostApplicationBuilder>? customize,
        CancellationToken stoppingToken)
    {
        using var host = NodeHost.Build(launch, root, live, logger, level, apiSocket, state, hangup, customize);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        try
        {
            // RunAsync without its dispose: the services are read below, then `using` disposes.
            await host.StartAsync(stoppingToken).ConfigureAwait(false);
            await host.WaitForShutdownAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Unwrap(ex) is ApiSocketException)
        {
            return await StateUnusable(Unwrap(ex).Message, logger, notify, error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped while starting (asked to, or by a worker or the store failing meanwhile: the
            // checks below tell), or a service outlived the shutdown timeout.
            if (Failed(host, state, logger, notify))
            {
                return ExitCodes.Failure;
            }

            logger.Warning("Node stopped before start-up finished, or a service did not stop within {Timeout}.", NodeHost.ShutdownTimeout);
            return ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            logger.Fatal(ex, "Node stopped on a fault it could not handle.");
            notify.Status($"Failed: {ex.Message}");
            return ExitCodes.Failure;
        }

        return Failed(host, state, logger, notify) ? ExitCodes.Failure : ExitCodes.Ok;
    }

    // Whether the host stopped because something failed, said to the log and to systemd: a store
    // that stopped taking writes (it logged why), or a worker that faulted. systemd's
    // Restart=on-failure must see either as a failure, whenever it happened, start-up included.
    private static bool Failed(IHost host, NodeState state, Logger logger, NotifySocket notify)
    {
        if (state.Store.Writer.Fault is { } storeFault)
        {
            notify.Status($"Failed: {storeFault.Message}");
            return true;
        }

        var faulted = host.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .FirstOrDefault(s => s.ExecuteTask is { IsFaulted: true });
        if (faulted is null)
        {
            return false;
        }

        logger.Fatal(faulted.ExecuteTask!.Exception!.GetBaseException(), "Node stopped because {Service} failed.", faulted.GetType().Name);
        notify.Status($"Failed: {faulted.GetType().Name} failed");
        return true;
    }

    // Replay writes bytes (a JSON line per bar, fast); a test's writer gets them as text at the end.
    private static int RunReplay(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var rest = args.Skip(1).ToArray();
        if (ReferenceEquals(output, Console.Out))
        {
            using var stdout = Console.OpenStandardOutput();
            using var stdin = Console.OpenStandardInput();
            return ReplayRunner.Run(rest, stdin, stdout, error);
        }

        using var captured = new MemoryStream();
        var code = ReplayRunner.Run(rest, Stream.Null, captured, error);
        output.Write(System.Text.Encoding.UTF8.GetString(captured.ToArray()));
        return code;
    }

    private static async Task<int> RestoreAsync(string backup, bool markCorrupt, ResolvedSettings settings, TextWriter output, TextWriter error)
    {
        var directory = settings.Node.DataDirectory;
        // The packets are verified with this node's key (when it has one) and the keys its backup recorded for peers.
        byte[] own = [];
        string? keyProblem = null;
        try
        {
            using var identity = NodeIdentity.LoadExisting(directory);
            own = identity?.PublicKey ?? [];
            keyProblem = identity is null ? $"there is no {NodeIdentity.FileName} in {directory}" : null;
        }
        catch (IdentityException ex)
        {
            keyProblem = ex.Message;
        }

        try
        {
            var result = StoreBackup.Restore(backup, directory, TimeProvider.System,
                reader => StoredPackets.VerifyAll(reader, StoredPackets.Keys(reader, own), settings.Store.ScrubBatchSize), markCorrupt);
            await output.WriteLineAsync($"Restored {result.Restored} into {directory}.").ConfigureAwait(false);
            if (result.ReplacedFile is not null)
            {
                await output.WriteLineAsync($"The database it replaced is kept as {result.ReplacedFile}.").ConfigureAwait(false);
            }

            if (result.CarriedRetractions > 0)
            {
                await output.WriteLineAsync($"{result.CarriedRetractions} retraction(s) the replaced database held and the backup lacks are applied at the next start: retracted packets do not come back.").ConfigureAwait(false);
            }
            else if (result.CarryProblem is not null)
            {
                await output.WriteLineAsync($"Note: {result.CarryProblem}.").ConfigureAwait(false);
            }

            await output.WriteAsync(DescribeVerification(result.Packets, keyProblem)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (StoreOpenException ex)
        {
            await error.WriteLineAsync($"sovereign-node: restore refused: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.StateUnusable;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"sovereign-node: restore refused, nothing was changed: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>What verifying a restored backup's packets found, a line each: the counts, then each packet restored marked corrupt.</summary>
    internal static string DescribeVerification(Storage.Packets.PacketScan packets, string? keyProblem)
    {
        const int Listed = 20;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var sound = packets.Checked - packets.Unverified - packets.Corrupt.Count;
        var text = new System.Text.StringBuilder().Append(invariant, $"Verified its {packets.Checked} packets: {sound} sound");
        if (packets.Unverified > 0)
        {
            text.Append(invariant, $", {packets.Unverified} whose signature could not be checked (the author's key is not known here")
                .Append(keyProblem is null ? ")" : $"; {keyProblem})");
        }

        if (packets.Corrupt.Count > 0)
        {
            text.Append(invariant, $", {packets.Corrupt.Count} corrupt, restored marked corrupt (kept, never served or synced):");
        }

        text.Append('\n');
        foreach (var packet in packets.Corrupt.Take(Listed))
        {
            text.Append("  corrupt ").Append(packet).Append('\n');
        }

        if (packets.Corrupt.Count > Listed)
        {
            text.Append(invariant, $"  and {packets.Corrupt.Count - Listed} more (nodectl store scrub lists them once the node runs)\n");
        }

        return text.ToString();
    }

    // The node was never started: nothing in the store or the key was changed.
    private static async Task<int> StateUnusable(string reason, Logger logger, NotifySocket notify, TextWriter error)
    {
        logger.Fatal("Node cannot start: {Reason}", reason);
        await error.WriteLineAsync($"sovereign-node: {reason}").ConfigureAwait(false);
        notify.Status($"Failed: {reason}");
        return ExitCodes.StateUnusable;
    }

    // A node whose store was lost (and has no backup) starts over empty only when asked to.
    private static async Task<int> NewStoreAsync(ResolvedSettings settings, TimeProvider time, TextWriter output, TextWriter error)
    {
        var directory = settings.Node.DataDirectory;
        var path = Path.Combine(directory, NodeStore.FileName);
        if (!StateDirectory.TryPrepare(directory, out var directoryError, "State directory"))
        {
            await error.WriteLineAsync($"sovereign-node: {directoryError}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            await error.WriteLineAsync($"sovereign-node: new-store refused: {path} exists; it is the node's store. Nothing was changed.").ConfigureAwait(false);
            return ExitCodes.StateUnusable;
        }

        try
        {
            await using var store = NodeStore.Open(directory, settings.Store, time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            await output.WriteLineAsync($"Made an empty store {store.Path}; start the node, and its trusted peers send back what they share.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (StoreOpenException ex)
        {
            await error.WriteLineAsync($"sovereign-node: new-store refused: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.StateUnusable;
        }
    }

    private static Exception Unwrap(Exception ex) => ex is AggregateException { InnerExceptions: [var single] } ? single : ex;

    private static async Task<int> ConfigurationFailed(TextWriter error, NotifySocket notify, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            await error.WriteLineAsync($"sovereign-node: configuration error: {problem}").ConfigureAwait(false);
        }

        notify.Status($"Configuration error: {problems[0]}");
        return ExitCodes.ConfigError;
    }
}
