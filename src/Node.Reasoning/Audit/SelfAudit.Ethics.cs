namespace Node.Reasoning.Audit;

public static partial class SelfAudit
{
    private static readonly TimeSpan CapWindow = TimeSpan.FromHours(1);

    private static readonly Rule ExplanationsRule =
        new("ethics.explanations", AuditCategory.Ethics, "Every decision has an explanation");
    private static readonly Rule CapRule =
        new("ethics.auto_approval_cap", AuditCategory.Ethics, "No automatic approvals beyond the hourly cap");
    private static readonly Rule StopRule =
        new("ethics.guardian_stop", AuditCategory.Ethics, "No automatic approval during a guardian stop");
    private static readonly Rule ThresholdRule =
        new("ethics.auto_approval_threshold", AuditCategory.Ethics, "No automatic approval below its threshold");
    private static readonly Rule VerdictsRule =
        new("ethics.guardian_verdicts", AuditCategory.Ethics, "Every guardian verdict names the guardian and a reason");

    private static IEnumerable<AuditDecision> AutoApprovals(AuditSnapshot s) =>
        s.Decisions.Where(d => d.Automatic && d.State == AuditDecisionState.Approved);

    private static AuditCheckResult Explanations(AuditSnapshot s, AuditBounds b)
    {
        var bad = s.Decisions.Where(d => d.ExplanationSteps <= 0).Select(d => d.Id).ToArray();
        return bad.Length == 0
            ? ExplanationsRule.Pass(Invariant($"All {s.Decisions.Count} decisions carry an explanation chain."))
            : ExplanationsRule.Fail(Invariant($"{bad.Length} decisions have no explanation: {Name(bad)}."),
                "Inspect these decisions (`nodectl decisions list --all`); a decision without an explanation means a reasoner or the decide stage dropped its evidence — fix before trusting automatic approval.");
    }

    private static AuditCheckResult AutoApprovalCap(AuditSnapshot s, AuditBounds b)
    {
        var bad = new List<string>();
        foreach (var type in s.DecisionTypes)
        {
            var times = AutoApprovals(s).Where(d => d.Type == type.Type && d.DecidedAt is not null)
                .Select(d => d.DecidedAt!.Value).Order().ToArray();
            var most = MostWithinWindow(times, CapWindow);
            if (most > type.HourlyAutoApprovalCap)
            {
                bad.Add(Invariant($"{type.Type} ({most} within an hour, cap {type.HourlyAutoApprovalCap})"));
            }
        }
        return bad.Count == 0
            ? CapRule.Pass("No decision type exceeded its hourly cap on automatic approvals.")
            : CapRule.Fail($"Hourly caps exceeded: {Name(bad)}.",
                "Set the guardian stop on all automatic action, review the approvals of these types, and fix the cap enforcement in the decision matrix.");
    }

    /// <summary>The most of the sorted times that fall within any half-open window (t − window, t].</summary>
    private static int MostWithinWindow(DateTimeOffset[] sorted, TimeSpan window)
    {
        var most = 0;
        for (int first = 0, last = 0; last < sorted.Length; last++)
        {
            while (sorted[last] - sorted[first] >= window)
            {
                first++;
            }
            most = Math.Max(most, last - first + 1);
        }
        return most;
    }

    private static AuditCheckResult GuardianStopRespected(AuditSnapshot s, AuditBounds b)
    {
        var bad = AutoApprovals(s)
            .Where(d => d.DecidedAt is { } at && s.GuardianStops.Any(stop => at >= stop.From && (stop.Until is null || at < stop.Until)))
            .Select(d => d.Id).ToArray();
        return bad.Length == 0
            ? StopRule.Pass(Invariant($"No automatic approval fell within a guardian stop ({s.GuardianStops.Count} in the period)."))
            : StopRule.Fail(Invariant($"{bad.Length} decisions were approved automatically while the guardian stop was on: {Name(bad)}."),
                "Review and, where needed, reverse these decisions; the guardian stop is not enforced — keep automatic action stopped until it is fixed.");
    }

    private static AuditCheckResult AutoApprovalThreshold(AuditSnapshot s, AuditBounds b)
    {
        var bad = new List<string>();
        foreach (var d in AutoApprovals(s))
        {
            var type = s.DecisionTypes.FirstOrDefault(t => t.Type == d.Type);
            if (type is null)
            {
                bad.Add($"{d.Id} (type {d.Type} has no threshold)");
            }
            else if (!(d.Confidence >= type.ApprovalThreshold))
            {
                bad.Add(Invariant($"{d.Id} ({d.Confidence:0.###} < {type.ApprovalThreshold:0.###})"));
            }
        }
        return bad.Count == 0
            ? ThresholdRule.Pass("Every automatic approval met its type's threshold.")
            : ThresholdRule.Fail(Invariant($"{bad.Count} automatic approvals below their threshold: {Name(bad)}."),
                "Review these decisions with a guardian, and check the decision matrix's thresholds in the configuration.");
    }

    private static AuditCheckResult GuardianVerdictsComplete(AuditSnapshot s, AuditBounds b)
    {
        var bad = s.GuardianVerdicts
            .Where(v => string.IsNullOrWhiteSpace(v.Guardian) || string.IsNullOrWhiteSpace(v.Reason))
            .Select(v => v.Subject).ToArray();
        return bad.Length == 0
            ? VerdictsRule.Pass(Invariant($"All {s.GuardianVerdicts.Count} guardian verdicts name a guardian and a reason."))
            : VerdictsRule.Fail(Invariant($"{bad.Length} guardian verdicts lack a guardian or a reason: {Name(bad)}."),
                "Ask the guardians to record who decided and why (`--reason`); make the API refuse verdicts without them.");
    }
}
