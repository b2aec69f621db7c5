using Node.Reasoning;
using Node.Reasoning.Decisions;
using Node.Reasoning.Findings;
using Node.Reasoning.Indicators;
using Node.Reasoning.Pipeline;

namespace Node.Daemon.Reasoning;

/// <summary>What the pipeline made of one bar sent to the node.</summary>
/// <param name="Problem">Why Perceive rejected it, or <see cref="ObservationProblem.None"/>.</param>
/// <param name="Conclusion">The conclusion (no claim when rejected or warming up).</param>
/// <param name="Findings">Every finding, in the order the stages made them.</param>
/// <param name="Features">The subject's features at this bar.</param>
/// <param name="DecisionId">The decision recorded for it, or null.</param>
/// <param name="Verdict">The decision matrix's verdict, when a decision was asked for.</param>
internal sealed record BarResult(ObservationProblem Problem, Conclusion Conclusion, Finding[] Findings, MarketFeatures Features,
    string? DecisionId, DecisionVerdict? Verdict);

/// <summary>One reasoner's activity since start.</summary>
/// <param name="Reasoner">Which.</param>
/// <param name="Runs">Times it ran.</param>
/// <param name="Findings">Findings it made.</param>
/// <param name="MeanConfidence">Mean confidence of its findings; NaN with none.</param>
/// <param name="MeanLatencyMicroseconds">Mean time per run, µs, sampled on one observation in 64; NaN before a sample.</param>
/// <param name="LastRunAt">When it last ran, or null.</param>
internal sealed record ReasonerStatus(Reasoner Reasoner, long Runs, long Findings, double MeanConfidence, double MeanLatencyMicroseconds,
    DateTimeOffset? LastRunAt);

/// <summary>Latency of whole observations at the running depth since start, µs (p99 from a log-scale histogram).</summary>
internal sealed record LatencySummary(long Observations, double MeanMicroseconds, double P50Microseconds, double P99Microseconds,
    double MaxMicroseconds);

/// <summary>Calibration of the confidences whose outcomes are known, since start.</summary>
internal sealed record CalibrationSummary(long Outcomes, long Held, double Brier, double BaseRateBrier, double ExpectedCalibrationError,
    string Method, int Reflections, long? LastReflectionCycle);

/// <summary>The pipeline's state for <c>nodectl reason status</c>, the self-audit and the status call.</summary>
internal sealed record ReasoningStatusSnapshot(
    Depth Depth,
    long Cycles,
    long Rejected,
    int Subjects,
    long Conclusions,
    long Conflicts,
    long Decisions,
    IReadOnlyList<ReasonerStatus> Reasoners,
    LatencySummary Latency,
    CalibrationSummary Calibration,
    bool GuardianStopped,
    string? StoppedBy,
    DateTimeOffset? StoppedAt,
    IReadOnlyList<(DateTimeOffset At, string? Error)> RecallAttempts,
    DateTimeOffset? LastCompactionAt);
