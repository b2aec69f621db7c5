using Node.Daemon.CommandLine;
using Node.Daemon.Systemd;

namespace Node.Daemon;

/// <summary>
/// Everything a start of the daemon depends on from outside: its command line, environment and
/// working directory. The process builds one from its real surroundings; tests build their own.
/// </summary>
public sealed class DaemonLaunch
{
    /// <summary>The name of the config file looked for in <c>$CONFIGURATION_DIRECTORY</c>.</summary>
    public const string ConfigFileName = "node.json";

    /// <summary>The prefix of environment variables that set configuration keys.</summary>
    public const string EnvironmentPrefix = "SOVEREIGN_NODE__";

    /// <summary>Creates a launch description.</summary>
    public DaemonLaunch(DaemonCommandLine commandLine, IReadOnlyDictionary<string, string?> environment, string workingDirectory, int processId)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        CommandLine = commandLine;
        Environment = environment;
        WorkingDirectory = workingDirectory;
        ProcessId = processId;
        Systemd = SystemdEnvironment.From(environment, processId);
        ConfigFile = commandLine.ConfigFile is { } given ? Path.GetFullPath(given, workingDirectory) : InstalledConfigFile(environment, Systemd);
    }

    /// <summary>The parsed command line.</summary>
    public DaemonCommandLine CommandLine { get; }

    /// <summary>The environment variables.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    /// <summary>The directory relative paths are resolved against.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The process id, for <c>WATCHDOG_PID</c>.</summary>
    public int ProcessId { get; }

    /// <summary>What systemd passed in the environment.</summary>
    public SystemdEnvironment Systemd { get; }

    /// <summary>The full path of the config file in use, or <see langword="null"/> for none.</summary>
    public string? ConfigFile { get; }

    /// <summary>The node's clock: the system's, or a test's fake one. The store, the watchdog and every service read it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The installed config file, when it exists.</summary>
    public const string InstalledConfigPath = "/etc/sovereign-node/node.json";

    // Under systemd: $CONFIGURATION_DIRECTORY/node.json (ConfigurationDirectory=), else the
    // installed path (a unit without ConfigurationDirectory=). Outside systemd: none by default.
    private static string? InstalledConfigFile(IReadOnlyDictionary<string, string?> environment, SystemdEnvironment systemd)
    {
        var candidate = systemd.ConfigurationDirectory is { } dir ? Path.Combine(dir, ConfigFileName)
            : environment.ContainsKey("INVOCATION_ID") ? InstalledConfigPath
            : null;
        // Anything there is the config file: a directory or FIFO in its place is refused by name, not ignored.
        return candidate is not null && Node.Storage.FileKinds.Of(candidate) != Node.Storage.FileKind.Missing ? candidate : null;
    }

    /// <summary>Describes this process's own launch.</summary>
    public static DaemonLaunch FromProcess(DaemonCommandLine commandLine)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value;
        }

        return new DaemonLaunch(commandLine, variables, System.Environment.CurrentDirectory, System.Environment.ProcessId);
    }
}
