using System.Globalization;

namespace Node.Reasoning.Audit;

/// <summary>The limits the self-audit judges the node's state against. Every default is documented; <see cref="Validate"/> names a bad one.</summary>
public sealed record AuditBounds
{
    /// <summary>The defaults.</summary>
    public static AuditBounds Default { get; } = new();

    /// <summary>Longest a decision may wait for a guardian. Defaults to 24 h.</summary>
    public TimeSpan EscalationMaxWait { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Longest a reasoner may go without running (counted from start if it never ran). Defaults to 15 min.</summary>
    public TimeSpan ReasonerMaxIdle { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Aletheia's reflection period, in cycles. Defaults to 100.</summary>
    public long ReflectionEveryCycles { get; init; } = 100;

    /// <summary>Cycles the reflection may run late beyond its period. Defaults to 10.</summary>
    public long ReflectionSlackCycles { get; init; } = 10;

    /// <summary>Highest acceptable share of conclusions with an Aletheia conflict, in [0, 1]. Defaults to 0.1.</summary>
    public double MaxConflictRate { get; init; } = 0.1;

    /// <summary>Conclusions needed before the conflict rate is judged. Defaults to 20.</summary>
    public long ConflictRateMinConclusions { get; init; } = 20;

    /// <summary>How many of Joey's most recent recalls must all have answered. Defaults to 5.</summary>
    public int RecallAttemptsChecked { get; init; } = 5;

    /// <summary>Longest since the last memory compaction (counted from start if it never ran). Defaults to 25 h (a daily schedule plus an hour).</summary>
    public TimeSpan CompactionMaxAge { get; init; } = TimeSpan.FromHours(25);

    /// <summary>How long conclusion detail is kept before compaction summarizes it away. Defaults to 30 days.</summary>
    public TimeSpan ConclusionDetailRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>p99 latency goal of a shallow cycle, in microseconds. Defaults to 1.</summary>
    public double ShallowP99GoalMicroseconds { get; init; } = 1;

    /// <summary>p99 latency goal of a moderate cycle, in microseconds. Defaults to 5.</summary>
    public double ModerateP99GoalMicroseconds { get; init; } = 5;

    /// <summary>p99 latency goal of a deep cycle, in microseconds. Defaults to 50.</summary>
    public double DeepP99GoalMicroseconds { get; init; } = 50;

    /// <summary>Highest acceptable expected calibration error, in [0, 1]. Defaults to 0.1.</summary>
    public double MaxCalibrationError { get; init; } = 0.1;

    /// <summary>Realized outcomes needed before calibration is judged (before that the check is not applicable). Defaults to 200.</summary>
    public long MinCalibrationOutcomes { get; init; } = 200;

    /// <summary>Longest a critical loop may go without reporting progress; set it to the watchdog interval. Defaults to 30 s.</summary>
    public TimeSpan LoopProgressMaxAge { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Least time our peer manifest must still be valid for. Defaults to 7 days.</summary>
    public TimeSpan ManifestMinRemaining { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Most packets allowed to wait in quarantine. Defaults to 1000.</summary>
    public int MaxQuarantine { get; init; } = 1000;

    /// <summary>Largest acceptable difference, either way, between the HLC's physical time and the wall clock. Defaults to 1 min.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Checks every bound.</summary>
    /// <returns>Null when all bounds are valid; otherwise a message naming the first bad bound, its value and the allowed range.</returns>
    public string? Validate() =>
        Positive(EscalationMaxWait, nameof(EscalationMaxWait))
        ?? Positive(ReasonerMaxIdle, nameof(ReasonerMaxIdle))
        ?? AtLeast(ReflectionEveryCycles, 1, nameof(ReflectionEveryCycles))
        ?? AtLeast(ReflectionSlackCycles, 0, nameof(ReflectionSlackCycles))
        ?? UnitInterval(MaxConflictRate, nameof(MaxConflictRate))
        ?? AtLeast(ConflictRateMinConclusions, 1, nameof(ConflictRateMinConclusions))
        ?? AtLeast(RecallAttemptsChecked, 1, nameof(RecallAttemptsChecked))
        ?? Positive(CompactionMaxAge, nameof(CompactionMaxAge))
        ?? Positive(ConclusionDetailRetention, nameof(ConclusionDetailRetention))
        ?? PositiveFinite(ShallowP99GoalMicroseconds, nameof(ShallowP99GoalMicroseconds))
        ?? PositiveFinite(ModerateP99GoalMicroseconds, nameof(ModerateP99GoalMicroseconds))
        ?? PositiveFinite(DeepP99GoalMicroseconds, nameof(DeepP99GoalMicroseconds))
        ?? UnitInterval(MaxCalibrationError, nameof(MaxCalibrationError))
        ?? AtLeast(MinCalibrationOutcomes, 1, nameof(MinCalibrationOutcomes))
        ?? Positive(LoopProgressMaxAge, nameof(LoopProgressMaxAge))
        ?? NonNegative(ManifestMinRemaining, nameof(ManifestMinRemaining))
        ?? AtLeast(MaxQuarantine, 0, nameof(MaxQuarantine))
        ?? Positive(MaxClockSkew, nameof(MaxClockSkew));

    private static string? Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? null : Invariant($"AuditBounds.{name} must be positive; was {value}.");

    private static string? NonNegative(TimeSpan value, string name) =>
        value >= TimeSpan.Zero ? null : Invariant($"AuditBounds.{name} must not be negative; was {value}.");

    private static string? AtLeast(long value, long min, string name) =>
        value >= min ? null : Invariant($"AuditBounds.{name} must be at least {min}; was {value}.");

    private static string? UnitInterval(double value, string name) =>
        value is >= 0 and <= 1 ? null : Invariant($"AuditBounds.{name} must be in [0, 1]; was {value}.");

    private static string? PositiveFinite(double value, string name) =>
        double.IsFinite(value) && value > 0 ? null : Invariant($"AuditBounds.{name} must be positive and finite; was {value}.");

    private static string Invariant(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
