namespace Node.Federation.Sync;

/// <summary>
/// When knowledge sync runs (section <c>Federation:Sync</c>; docs/operator-manual.md, "Sync schedule").
/// A linked core or sandbox peer gets a round when its link comes up, when an operator asks
/// (<c>nodectl federation sync</c>), every <see cref="CatchUpInterval"/> (a catch-up: one small round
/// trip when nothing changed), and every <see cref="AuditInterval"/> a full reconciliation.
/// </summary>
public sealed class SyncOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Federation:Sync";

    /// <summary>Whether rounds run on their own; <c>nodectl federation auto-sync on|off</c> overrides it (kept in the store). Defaults to true.</summary>
    public bool AutoSync { get; set; } = true;

    /// <summary>Time between catch-ups with each linked peer, 1 s to 1 h. Defaults to 5 s.</summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time between full reconciliations (the audit) with each linked peer, 1 min to 7 days. Defaults to 1 h.</summary>
    public TimeSpan AuditInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wait after a failed round before the next, 1 s to 1 h. Defaults to 10 s.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Rounds under way at once, with different peers, 1 to 64. Defaults to 4.</summary>
    public int MaxConcurrentRounds { get; set; } = 4;

    /// <summary>What is wrong with these settings, or null when they are usable.</summary>
    public string? Validate() =>
        CatchUpInterval < TimeSpan.FromSeconds(1) || CatchUpInterval > TimeSpan.FromHours(1) ? $"{SectionName}:CatchUpInterval: 1 s to 1 h"
        : AuditInterval < TimeSpan.FromMinutes(1) || AuditInterval > TimeSpan.FromDays(7) ? $"{SectionName}:AuditInterval: 1 min to 7 days"
        : RetryInterval < TimeSpan.FromSeconds(1) || RetryInterval > TimeSpan.FromHours(1) ? $"{SectionName}:RetryInterval: 1 s to 1 h"
        : MaxConcurrentRounds is < 1 or > 64 ? $"{SectionName}:MaxConcurrentRounds: 1 to 64"
        : null;
}
