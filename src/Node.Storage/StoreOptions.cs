namespace Node.Storage;

/// <summary>Settings of the knowledge store (section <c>Storage</c>).</summary>
public sealed class StoreOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Storage";

    /// <summary>The most writes committed in one transaction, 1 to 100000. Defaults to 1000.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>How many of the newest event-log entries are verified at start, 0 to 10000000 (0: none). Defaults to 10000.</summary>
    public int VerifyTailAtStart { get; set; } = 10_000;

    /// <summary>Whether <c>PRAGMA quick_check</c> runs at start. Defaults to true.</summary>
    public bool QuickCheckAtStart { get; set; } = true;

    /// <summary>How often free pages are returned to the disk, 00:01:00 to 7.00:00:00. Defaults to 6 hours.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How often every stored packet is verified again (id, shape, limits, signature) and those
    /// that no longer verify are marked corrupt: 00:00:00 (off), or 00:01:00 to 365.00:00:00.
    /// Defaults to 1 day. Counted from the end of the last scrub, kept in the store, so restarts
    /// do not postpone it; a scrub interrupted by a stop goes on where it was at the next start.
    /// </summary>
    public TimeSpan ScrubInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Packets a scrub verifies per read and per write, 1 to 100000. Defaults to 500.</summary>
    public int ScrubBatchSize { get; set; } = 500;

    /// <summary>Free pages tolerated before maintenance reclaims them, 0 to 1000000000. Defaults to 1024 (4 MiB).</summary>
    public long ReclaimAbovePages { get; set; } = 1024;
}
