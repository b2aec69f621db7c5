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
            return await RestoreAsync(commandLine.RestoreFrom!, settings, output, error).ConfigureAwait(false);
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
            // Asked to stop while starting, or a service outlived the shutdown timeout: the node
            // stopped as asked, if not gracefully.
            logger.Warning("Node stopped before start-up finished, or a service did not stop within {Timeout}.", NodeHost.ShutdownTimeout);
            return ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            logger.Fatal(ex, "Node stopped on a fault it could not handle.");
            notify.Status($"Failed: {ex.Message}");
            return ExitCodes.Failure;
        }

        // A store that stopped taking writes stopped the host (it logged why): a failure.
        if (state.Store.Writer.Fault is { } storeFault)
        {
            notify.Status($"Failed: {storeFault.Message}");
            return ExitCodes.Failure;
        }

        // A worker that faulted stopped the host (the host logged it): that is a failure, and
        // systemd's Restart=on-failure must see it as one.
        var faulted = host.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .FirstOrDefault(s => s.ExecuteTask is { IsFaulted: true });
        if (faulted is not null)
        {
            logger.Fatal(faulted.ExecuteTask!.Exception!.GetBaseException(), "Node stopped because {Service} failed.", faulted.GetType().Name);
            notify.Status($"Failed: {faulted.GetType().Name} failed");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
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

    private static async Task<int> RestoreAsync(string backup, ResolvedSettings settings, TextWriter output, TextWriter error)
    {
        try
        {
            var (restored, replaced) = StoreBackup.Restore(backup, settings.Node.DataDirectory, TimeProvider.System);
            await output.WriteLineAsync($"Restored {restored} into {settings.Node.DataDirectory}.").ConfigureAwait(false);
            if (replaced is not null)
            {
                await output.WriteLineAsync($"The database it replaced is kept as {replaced}.").ConfigureAwait(false);
            }

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
