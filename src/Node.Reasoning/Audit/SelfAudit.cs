using System.Globalization;

namespace Node.Reasoning.Audit;

/// <summary>
/// The HRM self-audit: 24 pure checks over an <see cref="AuditSnapshot"/> in six categories
/// (ethics 5, decision integrity 4, agent coordination 4, memory and state 3, performance 3,
/// federation readiness 5). The checks live in one partial file per category.
/// </summary>
public static partial class SelfAudit
{
    /// <summary>The most offenders a finding names; the rest are counted ("and 3 more").</summary>
    public const int OffendersNamed = 5;

    private static readonly Func<AuditSnapshot, AuditBounds, AuditCheckResult>[] AllChecks =
    [
        Explanations, AutoApprovalCap, GuardianStopRespected, AutoApprovalThreshold, GuardianVerdictsComplete,
        DecidedFields, ConfidenceRange, DecisionPackets, EscalationWait,
        ReasonersRan, Reflection, ConflictRate, Recall,
        EventLog, Compaction, Store,
        Latency, Calibration, Watchdog,
        KeyFileMode, PeerTiers, Manifest, Quarantine, Clock,
    ];

    /// <summary>Runs every check over <paramref name="snapshot"/>.</summary>
    /// <param name="snapshot">The node's state.</param>
    /// <param name="bounds">The limits to judge it against; <see cref="AuditBounds.Default"/> unless configured.</param>
    /// <returns>The report; the same snapshot and bounds always give the same report.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="bounds"/> does not validate; the message names the bad bound.</exception>
    public static AuditReport Run(AuditSnapshot snapshot, AuditBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(bounds);
        if (bounds.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(bounds));
        }

        var checks = new AuditCheckResult[AllChecks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            checks[i] = AllChecks[i](snapshot, bounds);
        }
        return Summarize(snapshot.Now, checks);
    }

    private static AuditReport Summarize(DateTimeOffset at, AuditCheckResult[] checks)
    {
        var categories = Enum.GetValues<AuditCategory>()
            .Select(c => Score(c, checks.Where(r => r.Category == c).ToArray()))
            .ToArray();
        var passed = categories.Sum(c => c.Passed);
        var applicable = categories.Sum(c => c.Applicable);
        var gaps = checks.Where(c => c.Status == AuditStatus.Fail).ToArray();
        return new AuditReport
        {
            At = at,
            Checks = checks,
            Categories = categories,
            PassRate = applicable == 0 ? null : (double)passed / applicable,
            Confidence = categories.Average(c => (double)c.Passed / c.Checks),
            Gaps = gaps,
            Recommendations = gaps.Select(g => g.Recommendation!).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }

    private static CategoryScore Score(AuditCategory category, AuditCheckResult[] checks) =>
        new(category, checks.Length,
            checks.Count(c => c.Status == AuditStatus.Pass),
            checks.Count(c => c.Status == AuditStatus.Fail),
            checks.Count(c => c.Status == AuditStatus.NotApplicable));

    /// <summary>"a, b, c" or "a, b, c, d, e and 4 more".</summary>
    private static string Name(IReadOnlyCollection<string> offenders)
    {
        var named = string.Join(", ", offenders.Take(OffendersNamed));
        return offenders.Count <= OffendersNamed
            ? named
            : Invariant($"{named} and {offenders.Count - OffendersNamed} more");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Ago(TimeSpan age) => age.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>One check's identity, and the three ways it can come out.</summary>
    private readonly record struct Rule(string Id, AuditCategory Category, string Title)
    {
        public AuditCheckResult Pass(string finding) => new(Id, Category, Title, AuditStatus.Pass, finding, null);

        public AuditCheckResult Fail(string finding, string recommendation) =>
            new(Id, Category, Title, AuditStatus.Fail, finding, recommendation);

        public AuditCheckResult NotApplicable(string finding) =>
            new(Id, Category, Title, AuditStatus.NotApplicable, finding, null);
    }
}
