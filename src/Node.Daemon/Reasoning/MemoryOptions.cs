namespace Node.Daemon.Reasoning;

/// <summary>How the node's reasoning memory (the <c>memory</c> table) is summarised and compacted.</summary>
public sealed class MemoryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Reasoning:Memory";

    /// <summary>Time between compaction runs, 1 min to 7 days. Defaults to 1 day.</summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long conclusion rows are kept after their day was summarised, 1 day to 3650 days. Defaults to 30 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
