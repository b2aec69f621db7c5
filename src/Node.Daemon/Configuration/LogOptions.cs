namespace Node.Daemon.Configuration;

/// <summary>Where and how much the node logs (section <c>Logging</c>).</summary>
public sealed class LogOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Logging";

    /// <summary>The levels <see cref="Level"/> accepts, least severe first.</summary>
    public static IReadOnlyList<string> Levels { get; } = ["Verbose", "Debug", "Information", "Warning", "Error", "Fatal"];

    /// <summary>The log directory. Defaults to <c>&lt;data-dir&gt;/logs</c>, or <c>$LOGS_DIRECTORY</c> under systemd.</summary>
    public string Directory { get; set; } = "";

    /// <summary>The least severe level written, one of <see cref="Levels"/>. Defaults to Information. Reloadable.</summary>
    public string Level { get; set; } = "Information";

    /// <summary>How many daily files of each log to keep, 1 to 3650. Defaults to 30.</summary>
    public int RetainedFileCount { get; set; } = 30;
}
