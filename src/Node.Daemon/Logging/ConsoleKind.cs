using System.Globalization;
using Node.Daemon.Systemd;

namespace Node.Daemon.Logging;

/// <summary>Where the console output goes, which decides how it is written.</summary>
public enum ConsoleKind
{
    /// <summary>A terminal: timestamps and colours.</summary>
    Terminal,

    /// <summary>A pipe or file: timestamps, no colours.</summary>
    Plain,

    /// <summary>systemd's journal: a <c>&lt;priority&gt;</c> prefix, no timestamp (the journal adds its own).</summary>
    Journal,
}

/// <summary>Finds the <see cref="ConsoleKind"/> of this process's standard output.</summary>
public static class ConsoleKindDetector
{
    /// <summary>
    /// Journal when <c>JOURNAL_STREAM</c> names the socket stdout is connected to (systemd.exec(5));
    /// terminal when stdout is a TTY; plain otherwise.
    /// </summary>
    public static ConsoleKind Detect(SystemdEnvironment systemd)
    {
        ArgumentNullException.ThrowIfNull(systemd);
        if (systemd.JournalStream is { } stream && StdoutIsJournal(stream))
        {
            return ConsoleKind.Journal;
        }

        return Console.IsOutputRedirected ? ConsoleKind.Plain : ConsoleKind.Terminal;
    }

    // JOURNAL_STREAM is "device:inode" of the stream socket; /proc/self/fd/1 reads "socket:[inode]".
    private static bool StdoutIsJournal(string journalStream)
    {
        var colon = journalStream.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        try
        {
            var target = new FileInfo("/proc/self/fd/1").LinkTarget;
            return target is not null &&
                   target.StartsWith("socket:[", StringComparison.Ordinal) &&
                   string.Equals(target["socket:[".Length..^1], journalStream[(colon + 1)..], StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The sd-daemon(3) priority prefix for a Serilog level.</summary>
    internal static string Priority(Serilog.Events.LogEventLevel level) => level switch
    {
        Serilog.Events.LogEventLevel.Fatal => "<2>",
        Serilog.Events.LogEventLevel.Error => "<3>",
        Serilog.Events.LogEventLevel.Warning => "<4>",
        Serilog.Events.LogEventLevel.Information => "<6>",
        _ => "<7>",
    };

    internal static readonly IFormatProvider Invariant = CultureInfo.InvariantCulture;
}
