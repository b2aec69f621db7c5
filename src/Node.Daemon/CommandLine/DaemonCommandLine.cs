using System.Diagnostics.CodeAnalysis;

namespace Node.Daemon.CommandLine;

/// <summary>What the command line asked for.</summary>
public enum DaemonCommand
{
    /// <summary>Run the node.</summary>
    Run,

    /// <summary>Print usage and exit.</summary>
    Help,

    /// <summary>Print the version and exit.</summary>
    Version,

    /// <summary>Replace the store with a backup (the node stopped): <c>sovereign-node restore --from FILE [--mark-corrupt]</c>.</summary>
    Restore,

    /// <summary>Make an empty store for a node whose store was lost (the node stopped): <c>sovereign-node new-store</c>.</summary>
    NewStore,
}

/// <summary>
/// The parsed command line of <c>sovereign-node</c>: the command, the config file and the
/// settings given as flags (as configuration keys, so they layer over file and environment).
/// </summary>
public sealed class DaemonCommandLine
{
    /// <summary>Flags that set one configuration key each, with the key they set.</summary>
    public static IReadOnlyList<(string Flag, string Key, string Value, string Help)> SettingFlags { get; } =
    [
        ("--data-dir", "Node:DataDirectory", "DIR", "state directory (database, keys); default ./.node, or $STATE_DIRECTORY under systemd"),
        ("--log-dir", "Logging:Directory", "DIR", "log directory; default <data-dir>/logs, or $LOGS_DIRECTORY under systemd"),
        ("--log-level", "Logging:Level", "LEVEL", "Verbose, Debug, Information, Warning, Error or Fatal; default Information"),
        ("--name", "Node:Name", "NAME", "the node's human-readable name; default the host name"),
        ("--peer-port", "Federation:PeerPort", "PORT", "TCP port for peers (TLS gRPC), 0 picks a free one; default 8102"),
    ];

    /// <summary>Flags without a value that set one configuration key each to a fixed value.</summary>
    public static IReadOnlyList<(string Flag, string Key, string Value, string Help)> SwitchFlags { get; } =
    [
        ("--no-discovery", "Federation:Discovery:Enabled", "false", "do not announce the node or look for peers over mDNS (static peers still work)"),
    ];

    private DaemonCommandLine(DaemonCommand command, string? configFile, string? restoreFrom, bool restoreMarkCorrupt,
        IReadOnlyDictionary<string, string?> settings)
    {
        Command = command;
        ConfigFile = configFile;
        RestoreFrom = restoreFrom;
        RestoreMarkCorrupt = restoreMarkCorrupt;
        Settings = settings;
    }

    /// <summary>What to do.</summary>
    public DaemonCommand Command { get; }

    /// <summary>The <c>--config</c> file as given (maybe relative), or <see langword="null"/>.</summary>
    public string? ConfigFile { get; }

    /// <summary>The backup file of <c>restore --from</c>.</summary>
    public string? RestoreFrom { get; }

    /// <summary>
    /// <c>restore --mark-corrupt</c>: restore a backup holding packets that do not verify, with
    /// those packets marked corrupt (kept, never served or synced), instead of refusing it.
    /// </summary>
    public bool RestoreMarkCorrupt { get; }

    /// <summary>Configuration keys set on the command line, by <c>--flag</c> or <c>--set KEY=VALUE</c>.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Parses <paramref name="args"/>; never throws on bad input.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="result">The parsed command line, when it parses.</param>
    /// <param name="error">What is wrong, naming the argument, when it does not.</param>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out DaemonCommandLine? result, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var command = DaemonCommand.Run;
        string? configFile = null;
        string? restoreFrom = null;
        var markCorrupt = false;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        result = null;

        var first = 0;
        if (args.Count > 0 && args[0] == "restore")
        {
            command = DaemonCommand.Restore;
            first = 1;
        }
        else if (args.Count > 0 && args[0] == "new-store")
        {
            command = DaemonCommand.NewStore;
            first = 1;
        }

        for (var i = first; i < args.Count; i++)
        {
            var arg = args[i];
            string? inlineValue = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                inlineValue = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    command = DaemonCommand.Help;
                    continue;
                case "-V" or "--version":
                    if (command is DaemonCommand.Run)
                    {
                        command = DaemonCommand.Version;
                    }

                    continue;
            }

            if (!arg.StartsWith('-'))
            {
                error = $"unexpected argument '{arg}'";
                return false;
            }

            if (arg == "--mark-corrupt" && command == DaemonCommand.Restore)
            {
                if (inlineValue is not null)
                {
                    error = $"option '{arg}' takes no value";
                    return false;
                }

                markCorrupt = true;
                continue;
            }

            if (SwitchFlags.FirstOrDefault(f => f.Flag == arg) is { Key: not null } flag)
            {
                if (inlineValue is not null)
                {
                    error = $"option '{arg}' takes no value";
                    return false;
                }

                settings[flag.Key] = flag.Value;
                continue;
            }

            var key = arg is "--config" or "--set" || (arg == "--from" && command == DaemonCommand.Restore)
                ? arg
                : SettingFlags.FirstOrDefault(f => f.Flag == arg).Key;
            if (key is null)
            {
                error = $"unknown option '{arg}'";
                return false;
            }

            if (!TryTakeValue(args, ref i, arg, inlineValue, out var value, out error))
            {
                return false;
            }

            if (arg == "--config")
            {
                configFile = value;
                continue;
            }

            if (arg == "--from")
            {
                restoreFrom = value;
                continue;
            }

            if (arg == "--set")
            {
                var sep = value.IndexOf('=', StringComparison.Ordinal);
                if (sep <= 0)
                {
                    error = $"--set needs KEY=VALUE (for example --set Federation:PeerPort=8102); was '{value}'";
                    return false;
                }

                settings[value[..sep].Replace("__", ":", StringComparison.Ordinal)] = value[(sep + 1)..];
                continue;
            }

            settings[key] = value;
        }

        if (command == DaemonCommand.Restore && restoreFrom is null)
        {
            error = "restore needs --from BACKUP (a file made by a backup of the node)";
            return false;
        }

        result = new DaemonCommandLine(command, configFile, restoreFrom, markCorrupt, settings);
        error = null;
        return true;
    }

    private static bool TryTakeValue(IReadOnlyList<string> args, ref int i, string flag, string? inlineValue,
        [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        if (inlineValue is not null)
        {
            value = inlineValue;
        }
        else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            value = args[++i];
        }
        else
        {
            value = null;
            error = $"option '{flag}' needs a value";
            return false;
        }

        error = null;
        return true;
    }
}
