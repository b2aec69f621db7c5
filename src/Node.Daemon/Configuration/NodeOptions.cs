namespace Node.Daemon.Configuration;

/// <summary>Who the node is and where it keeps its state (section <c>Node</c>).</summary>
public sealed class NodeOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Node";

    /// <summary>The longest name allowed, in characters.</summary>
    public const int MaxNameLength = 64;

    /// <summary>A human-readable name shown to operators and peers, 1 to 64 characters. Defaults to the host name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The state directory (database, keys). Defaults to <c>./.node</c>, or <c>$STATE_DIRECTORY</c> under systemd.</summary>
    public string DataDirectory { get; set; } = "";
}
