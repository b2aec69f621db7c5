using Node.Reasoning.Audit;
using Node.Reasoning.Findings;

namespace Node.Reasoning.Tests.Audit;

/// <summary>A node in good health, for the audit tests to break one thing at a time.</summary>
internal static class AuditSnapshots
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static AuditSnapshot HealthySnapshot() => new()
    {
        Now = Now,
        StartedAt = Now.AddDays(-3),
        Decisions =
        [
            Decided("d-auto-1", "rollback", automatic: true, 0.9, Now.AddHours(-2), "auto"),
            Decided("d-auto-2", "scaling", automatic: true, 0.9, Now.AddMinutes(-90), "auto"),
            Decided("d-guardian-1", "deployment", automatic: false, 0.6, Now.AddHours(-5), "ada"),
            Decided("d-rejected-1", "deployment", automatic: false, 0.5, Now.AddHours(-4), "ada") with { State = AuditDecisionState.Rejected },
            new("d-pending-1", "scaling", AuditDecisionState.Pending, Automatic: false, 0.7, ExplanationSteps: 2,
                HasPacket: true, CreatedAt: Now.AddHours(-1), DecidedAt: null, DecidedBy: null),
        ],
        DecisionTypes =
        [
            new("rollback", 0.7, 2),
            new("deployment", 0.8, 1),
            new("scaling", 0.85, 2),
        ],
        GuardianStops = [new(Now.AddHours(-10), Now.AddHours(-8))],
        GuardianVerdicts =
        [
            new("d-guardian-1", "ada", "the canary is healthy"),
            new("d-rejected-1", "ada", "too risky before the backup"),
        ],
        Cycles = 1050,
        LastReflectionCycle = 1000,
        Reasoners = [.. Enum.GetValues<Reasoner>().Select(r => new ReasonerActivity(r, Now.AddMinutes(-1)))],
        Conclusions = 1000,
        AletheiaConflicts = 20,
        RecallAttempts = [.. Enumerable.Range(1, 5).Select(i => new RecallAttempt(Now.AddMinutes(-i), null)).Reverse()],
        EventLogVerified = true,
        EventLogFirstBadSequence = null,
        LastCompactionAt = Now.AddHours(-6),
        OldestConclusionDetailAt = Now.AddDays(-20),
        SchemaVersion = 7,
        LatestSchemaVersion = 7,
        StoreCheck = "ok",
        ShallowP99Microseconds = 0.8,
        ModerateP99Microseconds = 4,
        DeepP99Microseconds = 40,
        CalibrationOutcomes = 500,
        CalibrationError = 0.04,
        CriticalLoops =
        [
            new("pipeline", Now.AddSeconds(-5)),
            new("sync", Now.AddSeconds(-5)),
            new("event-writer", Now.AddSeconds(-5)),
        ],
        IdentityKeyFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        ActivePeers = [new("PEER-AAA", "core"), new("PEER-BBB", "sandbox")],
        ManifestSignatureValid = true,
        ManifestExpiresAt = Now.AddDays(30),
        QuarantineCount = 12,
        HlcPhysicalTime = Now.AddMilliseconds(200),
    };

    public static AuditDecision Decided(string id, string type, bool automatic, double confidence, DateTimeOffset at, string by) =>
        new(id, type, AuditDecisionState.Approved, automatic, confidence, ExplanationSteps: 3, HasPacket: true,
            CreatedAt: at, DecidedAt: at, DecidedBy: by);

    /// <summary>The snapshot with one decision changed.</summary>
    public static AuditSnapshot WithDecision(this AuditSnapshot snapshot, string id, Func<AuditDecision, AuditDecision> change) =>
        snapshot with { Decisions = [.. snapshot.Decisions.Select(d => d.Id == id ? change(d) : d)] };

    public static AuditReport Audit(this AuditSnapshot snapshot) => SelfAudit.Run(snapshot, AuditBounds.Default);

    public static AuditCheckResult Check(this AuditReport report, string id) => report.Checks.Single(c => c.Id == id);
}
