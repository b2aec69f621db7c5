namespace Node.Reasoning.Audit;

/// <summary>
/// The node's live state, gathered once by the daemon, as the self-audit needs it: plain values and
/// small lists, nothing that does I/O. Every property is required so a gatherer cannot forget one.
/// </summary>
/// <remarks>
/// "The audited period" is whatever window the gatherer chooses for the lists of events (typically
/// the last 24 hours); pending decisions and an active guardian stop must be included whatever their age.
/// The ethics rules time an automatic approval by its <see cref="AuditDecision.DecidedAt"/>; one without it
/// is left to <c>integrity.decided_fields</c>, so each broken fact fails one check.
/// </remarks>
public sealed record AuditSnapshot
{
    // ── time ──────────────────────────────────────────────────────────────

    /// <summary>Wall-clock time the snapshot was taken (<c>TimeProvider.GetUtcNow()</c>); every age is measured from it.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>When the daemon process started; a loop or schedule is not judged late before it had the time to run.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    // ── ethics and decision integrity ────────────────────────────────────

    /// <summary>Decisions created or decided in the audited period, plus every still-pending one (decisions table).</summary>
    public required IReadOnlyList<AuditDecision> Decisions { get; init; }

    /// <summary>The decision matrix: per type, its approval threshold and hourly cap on automatic approvals (configuration).</summary>
    public required IReadOnlyList<AuditDecisionType> DecisionTypes { get; init; }

    /// <summary>Intervals of the guardian stop overlapping the audited period (stop/resume events); empty if it was never set.</summary>
    public required IReadOnlyList<GuardianStop> GuardianStops { get; init; }

    /// <summary>Guardian verdicts in the audited period (event log: decision verdicts, promotions, tier changes).</summary>
    public required IReadOnlyList<GuardianVerdict> GuardianVerdicts { get; init; }

    // ── agent coordination ───────────────────────────────────────────────

    /// <summary>Pipeline cycles completed since the pipeline's cycle counter began (the pipeline's counter).</summary>
    public required long Cycles { get; init; }

    /// <summary>The value of <see cref="Cycles"/> when Aletheia's reflection last ran; null if it never ran.</summary>
    public required long? LastReflectionCycle { get; init; }

    /// <summary>When each reasoner last ran (pipeline). A reasoner missing from the list counts as never having run.</summary>
    public required IReadOnlyList<ReasonerActivity> Reasoners { get; init; }

    /// <summary>Conclusions reached in the audited period (pipeline counter).</summary>
    public required long Conclusions { get; init; }

    /// <summary>Contradictions Aletheia reported among those conclusions' findings in the audited period (pipeline counter).</summary>
    public required long AletheiaConflicts { get; init; }

    /// <summary>Joey's most recent memory recalls, oldest first (the recall stage keeps at least <see cref="AuditBounds.RecallAttemptsChecked"/>).</summary>
    public required IReadOnlyList<RecallAttempt> RecallAttempts { get; init; }

    // ── memory and state ─────────────────────────────────────────────────

    /// <summary>True when the event log's hash chain verifies end to end (the same walk as <c>nodectl log verify</c>).</summary>
    public required bool EventLogVerified { get; init; }

    /// <summary>The sequence number of the first entry that does not chain; null when the log verifies.</summary>
    public required long? EventLogFirstBadSequence { get; init; }

    /// <summary>When memory compaction last finished; null if it never ran (memory store).</summary>
    public required DateTimeOffset? LastCompactionAt { get; init; }

    /// <summary>The time of the oldest conclusion detail still stored (not yet summarized away); null if there is none (memory store).</summary>
    public required DateTimeOffset? OldestConclusionDetailAt { get; init; }

    /// <summary>The store's schema version (<c>PRAGMA user_version</c>).</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>The latest schema version this build's migrations know.</summary>
    public required int LatestSchemaVersion { get; init; }

    /// <summary>The first row of <c>PRAGMA quick_check</c> (or <c>integrity_check</c>): <c>ok</c> when the store is sound.</summary>
    public required string StoreCheck { get; init; }

    /// <summary>Stored packets marked corrupt (their bytes no longer verify; found by a scrub, a read or a restore). 0 when none.</summary>
    public long CorruptPackets { get; init; }

    // ── performance ──────────────────────────────────────────────────────

    /// <summary>p99 latency of a shallow reasoning cycle in the audited period, in microseconds; null when none ran.</summary>
    public required double? ShallowP99Microseconds { get; init; }

    /// <summary>p99 latency of a moderate reasoning cycle, in microseconds; null when none ran.</summary>
    public required double? ModerateP99Microseconds { get; init; }

    /// <summary>p99 latency of a deep reasoning cycle, in microseconds; null when none ran.</summary>
    public required double? DeepP99Microseconds { get; init; }

    /// <summary>Realized outcomes the calibration has been measured on (Aletheia's calibration tracker).</summary>
    public required long CalibrationOutcomes { get; init; }

    /// <summary>Expected calibration error over those outcomes, in [0, 1] (Aletheia's calibration tracker).</summary>
    public required double CalibrationError { get; init; }

    /// <summary>The critical loops the watchdog watches and when each last reported progress (heartbeat registry).</summary>
    public required IReadOnlyList<CriticalLoopProgress> CriticalLoops { get; init; }

    // ── federation readiness ─────────────────────────────────────────────

    /// <summary>The identity private key file's mode (<c>File.GetUnixFileMode</c>); should be exactly 0600.</summary>
    public required UnixFileMode IdentityKeyFileMode { get; init; }

    /// <summary>The peers in the active set (heartbeat) with their trust tier (peer registry).</summary>
    public required IReadOnlyList<AuditPeer> ActivePeers { get; init; }

    /// <summary>
    /// Whether the node issues a signed peer manifest at all. It comes with the peer listener (its TLS certificate's
    /// fingerprint is part of it); until then the manifest check is not applicable. Defaults to true.
    /// </summary>
    public bool ManifestIssued { get; init; } = true;

    /// <summary>True when our own signed peer manifest verifies against our identity key.</summary>
    public required bool ManifestSignatureValid { get; init; }

    /// <summary>When our own peer manifest expires.</summary>
    public required DateTimeOffset ManifestExpiresAt { get; init; }

    /// <summary>Packets waiting in quarantine (packet store).</summary>
    public required int QuarantineCount { get; init; }

    /// <summary>
    /// The physical part of the hybrid logical clock's current reading (what its next timestamp would carry:
    /// the later of the wall clock and the latest timestamp it has seen, local or from a peer), read together
    /// with <see cref="Now"/>. Far ahead of <see cref="Now"/> means a peer's clock, or ours before a jump back, pushed it.
    /// </summary>
    public required DateTimeOffset HlcPhysicalTime { get; init; }
}
