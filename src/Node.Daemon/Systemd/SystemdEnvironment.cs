using System.Globalization;

namespace Node.Daemon.Systemd;

/// <summary>
/// What systemd told this process through its environment (systemd.exec(5), sd_notify(3),
/// sd_watchdog_enabled(3)). Read from a dictionary so tests can hand one in.
/// </summary>
public sealed record SystemdEnvironment
{
    /// <summary>The notify socket path (<c>NOTIFY_SOCKET</c>); <c>@</c> starts an abstract name.</summary>
    public string? NotifySocket { get; init; }

    /// <summary>The watchdog timeout (<c>WATCHDOG_USEC</c>) when it is meant for this process.</summary>
    public TimeSpan? WatchdogTimeout { get; init; }

    /// <summary><c>JOURNAL_STREAM</c>: <c>device:inode</c> of the journal stream stdout/stderr is connected to.</summary>
    public string? JournalStream { get; init; }

    /// <summary><c>STATE_DIRECTORY</c> (first entry): where <c>StateDirectory=</c> put our state.</summary>
    public string? StateDirectory { get; init; }

    /// <summary><c>LOGS_DIRECTORY</c> (first entry).</summary>
    public string? LogsDirectory { get; init; }

    /// <summary><c>RUNTIME_DIRECTORY</c> (first entry).</summary>
    public string? RuntimeDirectory { get; init; }

    /// <summary><c>CONFIGURATION_DIRECTORY</c> (first entry).</summary>
    public string? ConfigurationDirectory { get; init; }

    /// <summary>Reads the variables; <paramref name="processId"/> decides whether <c>WATCHDOG_PID</c> names us.</summary>
    public static SystemdEnvironment From(IReadOnlyDictionary<string, string?> variables, int processId)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new SystemdEnvironment
        {
            NotifySocket = NonEmpty(variables, "NOTIFY_SOCKET"),
            WatchdogTimeout = ReadWatchdog(variables, processId),
            JournalStream = NonEmpty(variables, "JOURNAL_STREAM"),
            StateDirectory = FirstPath(variables, "STATE_DIRECTORY"),
            LogsDirectory = FirstPath(variables, "LOGS_DIRECTORY"),
            RuntimeDirectory = FirstPath(variables, "RUNTIME_DIRECTORY"),
            ConfigurationDirectory = FirstPath(variables, "CONFIGURATION_DIRECTORY"),
        };
    }

    private static TimeSpan? ReadWatchdog(IReadOnlyDictionary<string, string?> variables, int processId)
    {
        // sd_watchdog_enabled(3): WATCHDOG_PID, when set, must name this process.
        if (NonEmpty(variables, "WATCHDOG_PID") is { } pid &&
            (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p != processId))
        {
            return null;
        }

        return NonEmpty(variables, "WATCHDOG_USEC") is { } usec &&
               ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var us) && us is > 0 and < (ulong)long.MaxValue / 10
            ? TimeSpan.FromMicroseconds(us)
            : null;
    }

    private static string? NonEmpty(IReadOnlyDictionary<string, string?> variables, string name) =>
        variables.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string? FirstPath(IReadOnlyDictionary<string, string?> variables, string name) =>
        NonEmpty(variables, name)?.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
}
