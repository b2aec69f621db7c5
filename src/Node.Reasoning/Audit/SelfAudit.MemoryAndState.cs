namespace Node.Reasoning.Audit;

public static partial class SelfAudit
{
    private static readonly Rule EventLogRule =
        new("memory.event_log", AuditCategory.MemoryAndState, "The event log's hash chain verifies");
    private static readonly Rule CompactionRule =
        new("memory.compaction", AuditCategory.MemoryAndState, "Memory compaction runs and honours retention");
    private static readonly Rule StoreRule =
        new("memory.store", AuditCategory.MemoryAndState, "The store is at the latest schema, passes its integrity check and holds no corrupt packet");

    private static AuditCheckResult EventLog(AuditSnapshot s, AuditBounds b) =>
        s.EventLogVerified
            ? EventLogRule.Pass("The event log verifies.")
            : EventLogRule.Fail(s.EventLogFirstBadSequence is { } seq
                    ? Invariant($"The event log does not verify: entry {seq} does not chain.")
                    : "The event log does not verify.",
                "Run `nodectl log verify` to confirm, then restore the store from the latest good backup; treat anything after the bad entry as suspect.");

    private static AuditCheckResult Compaction(AuditSnapshot s, AuditBounds b)
    {
        var since = s.Now - (s.LastCompactionAt ?? s.StartedAt);
        if (since > b.CompactionMaxAge)
        {
            return CompactionRule.Fail(s.LastCompactionAt is null
                    ? Invariant($"Memory compaction never ran in {Ago(since)} since start (limit {Ago(b.CompactionMaxAge)}).")
                    : Invariant($"Memory compaction last ran {Ago(since)} ago (limit {Ago(b.CompactionMaxAge)})."),
                "Check the reasoning and errors logs for the compaction schedule's failures; memory grows without it.");
        }
        // Detail older than retention at the last compaction should have been summarized away by it.
        if (s.LastCompactionAt is { } last && s.OldestConclusionDetailAt is { } oldest
            && oldest < last - b.ConclusionDetailRetention)
        {
            return CompactionRule.Fail(
                Invariant($"Conclusion detail from {oldest:O} survived the compaction at {last:O} (retention {Ago(b.ConclusionDetailRetention)})."),
                "Compaction is not deleting expired detail: check the retention setting and the compaction's errors in the logs.");
        }
        return CompactionRule.Pass(Invariant($"Compaction ran {Ago(since)} ago; no detail older than retention remains."));
    }

    private static AuditCheckResult Store(AuditSnapshot s, AuditBounds b)
    {
        var problems = new List<string>();
        if (s.SchemaVersion != s.LatestSchemaVersion)
        {
            problems.Add(Invariant($"schema version {s.SchemaVersion}, latest {s.LatestSchemaVersion}"));
        }
        if (!string.Equals(s.StoreCheck, "ok", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"integrity check says \"{s.StoreCheck}\"");
        }
        if (s.CorruptPackets > 0)
        {
            problems.Add(Invariant($"{s.CorruptPackets} stored packet(s) marked corrupt"));
        }
        return problems.Count == 0
            ? StoreRule.Pass(Invariant($"Schema version {s.SchemaVersion} is the latest; the integrity check is ok; no packet is marked corrupt."))
            : StoreRule.Fail($"The store is not sound: {string.Join("; ", problems)}.",
                s.CorruptPackets > 0 && problems.Count == 1
                    ? "Run `nodectl store scrub` to name the corrupt packets; they are kept but never served or synced. A peer that has one repairs it by sending it again, or restore a backup that holds it intact (docs/operator-manual.md, \"Corrupt packets\")."
                    : "Back up node.db, then restart the daemon to run pending migrations; if the integrity check fails, restore from the latest good backup.");
    }
}
