using Node.Daemon.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Filters;
using Serilog.Sinks.SystemConsole.Themes;

namespace Node.Daemon.Logging;

/// <summary>
/// The node's Serilog pipeline: <c>node-DATE.log</c> (everything), <c>errors-DATE.log</c> (errors),
/// <c>reasoning/</c> and <c>federation/</c> per component, rolled daily (and at
/// <see cref="MaxFileBytes"/>, as <c>node-DATE_001.log</c>) and kept <see cref="LogOptions.RetainedFileCount"/>
/// files each; and the console, written for where it goes.
/// </summary>
public static class NodeLogging
{
    private const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Source}: {Message:lj}{NewLine}{Exception}";
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {Source}: {Message:lj}{NewLine}{Exception}";

    /// <summary>The largest a log file grows before the next one starts: 256 MiB.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>The level switch for <paramref name="level"/>, one of <see cref="LogOptions.Levels"/>.</summary>
    public static LoggingLevelSwitch LevelSwitch(string level) => new(ParseLevel(level));

    /// <summary>Parses one of <see cref="LogOptions.Levels"/> (case-insensitive).</summary>
    public static LogEventLevel ParseLevel(string level) =>
        Enum.TryParse<LogEventLevel>(level, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ArgumentException($"Unknown log level '{level}'.", nameof(level));

    // Where each log lives under the log directory, and the stem its dated files start with.
    private static readonly (string Directory, string Stem)[] Files = [("", "node-"), ("", "errors-"), ("reasoning", "reasoning-"), ("federation", "federation-")];

    /// <summary>
    /// The first place under <paramref name="directory"/> the logs cannot use because something
    /// else is there: a log file that is not a regular file (a FIFO would block the start for
    /// ever), or a file where a log's subdirectory goes. Null when there is none.
    /// </summary>
    public static string? FindUnusablePath(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        foreach (var (sub, stem) in Files)
        {
            var folder = Path.Combine(directory, sub);
            var kind = Node.Storage.FileKinds.Of(folder);
            if (kind == Node.Storage.FileKind.Missing)
            {
                continue;
            }

            if (kind != Node.Storage.FileKind.Directory)
            {
                return $"{folder} is {Node.Storage.FileKinds.Describe(kind)}, where the log directory {sub} goes; move it away.";
            }

            foreach (var file in Directory.EnumerateFileSystemEntries(folder, stem + "*.log"))
            {
                if (!Node.Storage.FileKinds.IsRegularOrMissing(file, out var problem))
                {
                    return $"{problem}: log files must be regular files, and the node does not open anything else; move it away.";
                }
            }
        }

        return null;
    }

    /// <summary>Creates the logger. Dispose it last, to flush the files.</summary>
    /// <param name="options">The directory, level and retention.</param>
    /// <param name="level">The level switch (a reload moves it).</param>
    /// <param name="console">Where the console goes.</param>
    /// <param name="files">What writes each file: a line that cannot be written is dropped, never thrown.</param>
    public static Logger Create(LogOptions options, LoggingLevelSwitch level, ConsoleKind console, LossyLogFiles files)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        var dir = options.Directory;
        var keep = options.RetainedFileCount;
        var configuration = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(level)
            // The framework's own start/stop lines repeat ours (NodeLifecycle); its warnings still show.
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            // gRPC's client says "Call failed" at Information on every dial a peer link retries; the
            // link's own line says it once, with the peer's id (PeerLinkHost). Its warnings still show.
            .MinimumLevel.Override("Grpc", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With<SourceEnricher>()
            .WriteTo.File(Path.Combine(dir, "node-.log"), outputTemplate: FileTemplate,
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: keep, fileSizeLimitBytes: MaxFileBytes, rollOnFileSizeLimit: true, formatProvider: ConsoleKindDetector.Invariant, hooks: files)
            .WriteTo.File(Path.Combine(dir, "errors-.log"), restrictedToMinimumLevel: LogEventLevel.Error, outputTemplate: FileTemplate,
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: keep, fileSizeLimitBytes: MaxFileBytes, rollOnFileSizeLimit: true, formatProvider: ConsoleKindDetector.Invariant, hooks: files)
            .WriteTo.Logger(component => component
                .Filter.ByIncludingOnly(Matching.FromSource("Node.Reasoning"))
                .WriteTo.File(Path.Combine(dir, "reasoning", "reasoning-.log"), outputTemplate: FileTemplate,
                    rollingInterval: RollingInterval.Day, retainedFileCountLimit: keep, fileSizeLimitBytes: MaxFileBytes, rollOnFileSizeLimit: true, formatProvider: ConsoleKindDetector.Invariant, hooks: files))
            .WriteTo.Logger(component => component
                .Filter.ByIncludingOnly(Matching.FromSource("Node.Federation"))
                .WriteTo.File(Path.Combine(dir, "federation", "federation-.log"), outputTemplate: FileTemplate,
                    rollingInterval: RollingInterval.Day, retainedFileCountLimit: keep, fileSizeLimitBytes: MaxFileBytes, rollOnFileSizeLimit: true, formatProvider: ConsoleKindDetector.Invariant, hooks: files));

        _ = console switch
        {
            ConsoleKind.Journal => configuration.WriteTo.Console(new JournalFormatter()),
            ConsoleKind.Terminal => configuration.WriteTo.Console(outputTemplate: ConsoleTemplate, theme: AnsiConsoleTheme.Code,
                formatProvider: ConsoleKindDetector.Invariant),
            _ => configuration.WriteTo.Console(outputTemplate: FileTemplate, theme: ConsoleTheme.None,
                formatProvider: ConsoleKindDetector.Invariant),
        };
        return configuration.CreateLogger();
    }
}
