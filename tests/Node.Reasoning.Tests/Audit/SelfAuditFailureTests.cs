using Node.Reasoning.Audit;
using Node.Reasoning.Findings;
using static Node.Reasoning.Tests.Audit.AuditSnapshots;

namespace Node.Reasoning.Tests.Audit;

public sealed class SelfAuditFailureTests
{
    /// <summary>Per check id: the smallest change to a healthy node that breaks it, and the offender its finding must name.</summary>
    private static readonly Dictionary<string, (Func<AuditSnapshot, AuditSnapshot> Break, string Offender)> Breakages = new()
    {
        ["ethics.explanations"] = (s => s.WithDecision("d-guardian-1", d => d with { ExplanationSteps = 0 }), "d-guardian-1"),
        ["ethics.auto_approval_cap"] = (s => s with
        {
            Decisions =
            [
                .. s.Decisions,
                Decided("d-auto-3", "rollback", automatic: true, 0.9, Now.AddMinutes(-100), "auto"),
                Decided("d-auto-4", "rollback", automatic: true, 0.9, Now.AddMinutes(-70), "auto"),
            ],
        }, "rollback (3 within an hour, cap 2)"),
        ["ethics.guardian_stop"] = (s => s with { GuardianStops = [.. s.GuardianStops, new(Now.AddMinutes(-95), null)] }, "d-auto-2"),
        ["ethics.auto_approval_threshold"] = (s => s.WithDecision("d-auto-2", d => d with { Confidence = 0.8 }), "d-auto-2 (0.8 < 0.85)"),
        ["ethics.guardian_verdicts"] = (s => s with
        {
            GuardianVerdicts = [s.GuardianVerdicts[0], s.GuardianVerdicts[1] with { Reason = " " }],
        }, "d-rejected-1"),
        ["integrity.decided_fields"] = (s => s.WithDecision("d-rejected-1", d => d with { DecidedBy = null }), "d-rejected-1"),
        ["integrity.confidence_range"] = (s => s.WithDecision("d-pending-1", d => d with { Confidence = 1.2 }), "d-pending-1 (1.2)"),
        ["integrity.decision_packets"] = (s => s.WithDecision("d-guardian-1", d => d with { HasPacket = false }), "d-guardian-1"),
        ["integrity.escalation_wait"] = (s => s.WithDecision("d-pending-1", d => d with { CreatedAt = Now.AddHours(-25) }), "d-pending-1 (waiting 1.01:00:00)"),
        ["agents.reasoners_ran"] = (s => s with
        {
            Reasoners = [.. s.Reasoners.Select(r => r.Reasoner == Reasoner.Kenny ? r with { LastRunAt = Now.AddMinutes(-20) } : r)],
        }, "Kenny (idle 00:20:00)"),
        ["agents.reflection"] = (s => s with { LastReflectionCycle = 900 }, "at cycle 900"),
        ["agents.conflict_rate"] = (s => s with { AletheiaConflicts = 200 }, "200 conflicts in 1000 conclusions"),
        ["agents.recall"] = (s => s with
        {
            RecallAttempts = [.. s.RecallAttempts.SkipLast(1), new(Now, "database is locked")],
        }, "database is locked"),
        ["memory.event_log"] = (s => s with { EventLogVerified = false, EventLogFirstBadSequence = 4711 }, "entry 4711"),
        ["memory.compaction"] = (s => s with { OldestConclusionDetailAt = Now.AddDays(-40) }, Now.AddDays(-40).ToString("O")),
        ["memory.store"] = (s => s with { StoreCheck = "Page 5 is never used" }, "Page 5 is never used"),
        ["performance.latency"] = (s => s with { DeepP99Microseconds = 80 }, "deep p99 80 µs > 50 µs"),
        ["performance.calibration"] = (s => s with { CalibrationError = 0.2 }, "ECE 0.2"),
        ["performance.watchdog"] = (s => s with
        {
            CriticalLoops = [.. s.CriticalLoops.Select(l => l.Name == "sync" ? l with { LastProgressAt = Now.AddMinutes(-2) } : l)],
        }, "sync (silent 00:02:00)"),
        ["federation.key_file_mode"] = (s => s with
        {
            IdentityKeyFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        }, "0644"),
        ["federation.peer_tiers"] = (s => s with { ActivePeers = [.. s.ActivePeers, new("PEER-CCC", "unknown")] }, "PEER-CCC"),
        ["federation.manifest"] = (s => s with { ManifestExpiresAt = Now.AddDays(2) }, Now.AddDays(2).ToString("O")),
        ["federation.quarantine"] = (s => s with { QuarantineCount = 5000 }, "5000 packets"),
        ["federation.clock"] = (s => s with { HlcPhysicalTime = Now.AddMinutes(10) }, "skew +600 s"),
    };

    public static TheoryData<string> CheckIds => [.. Breakages.Keys];

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void A_minimal_breakage_fails_exactly_that_check_naming_the_offender_with_a_recommendation(string id)
    {
        var (breakIt, offender) = Breakages[id];

        var report = breakIt(HealthySnapshot()).Audit();

        var failed = Assert.Single(report.Checks, c => c.Status == AuditStatus.Fail);
        Assert.Equal(id, failed.Id);
        Assert.Contains(offender, failed.Finding, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(failed.Recommendation));
        Assert.Equal([failed], report.Gaps);
        Assert.Equal([failed.Recommendation!], report.Recommendations);
    }

    [Fact]
    public void Packets_marked_corrupt_fail_the_store_check_pointing_at_the_scrub()
    {
        var report = (HealthySnapshot() with { CorruptPackets = 3 }).Audit();

        var failed = Assert.Single(report.Checks, c => c.Status == AuditStatus.Fail);
        Assert.Equal("memory.store", failed.Id);
        Assert.Equal("The store is not sound: 3 stored packet(s) marked corrupt.", failed.Finding);
        Assert.Contains("nodectl store scrub", failed.Recommendation, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_check_the_audit_has_is_broken_by_the_theory()
    {
        var ids = HealthySnapshot().Audit().Checks.Select(c => c.Id);

        Assert.Equal(ids.Order(), Breakages.Keys.Order());
    }
}
