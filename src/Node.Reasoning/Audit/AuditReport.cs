namespace Node.Reasoning.Audit;

/// <summary>The self-audit's report: every check, per-category scores, the overall figures, gaps and recommendations.</summary>
public sealed record AuditReport
{
    /// <summary>When the audited snapshot was taken (<see cref="AuditSnapshot.Now"/>).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Every check, by category in <see cref="AuditCategory"/> order, then in rule order.</summary>
    public required IReadOnlyList<AuditCheckResult> Checks { get; init; }

    /// <summary>One score per category, in <see cref="AuditCategory"/> order.</summary>
    public required IReadOnlyList<CategoryScore> Categories { get; init; }

    /// <summary>Passed / applicable over all checks, in [0, 1]; null when no check was applicable.</summary>
    public required double? PassRate { get; init; }

    /// <summary>
    /// How far the audit vouches for the node, in [0, 1]: the mean over the six categories of
    /// (checks passed / checks in the category). Every category weighs the same, whatever its number of
    /// checks, and within one a check adds to confidence only if it was judged and passed — a failed check
    /// and a not-yet-measurable one both lower it, since neither is evidence of health. A node whose every
    /// check is measurable and passes scores 1; <see cref="PassRate"/> ignores not-applicable checks, this does not.
    /// </summary>
    public required double Confidence { get; init; }

    /// <summary>The failed checks, in report order.</summary>
    public required IReadOnlyList<AuditCheckResult> Gaps { get; init; }

    /// <summary>The distinct recommendations of the failed checks, in report order.</summary>
    public required IReadOnlyList<string> Recommendations { get; init; }
}
