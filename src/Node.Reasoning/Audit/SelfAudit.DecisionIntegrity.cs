namespace Node.Reasoning.Audit;

public static partial class SelfAudit
{
    private static readonly Rule DecidedRule =
        new("integrity.decided_fields", AuditCategory.DecisionIntegrity, "Every decided decision records when and by whom");
    private static readonly Rule ConfidenceRule =
        new("integrity.confidence_range", AuditCategory.DecisionIntegrity, "Every confidence is finite and in [0, 1]");
    private static readonly Rule PacketsRule =
        new("integrity.decision_packets", AuditCategory.DecisionIntegrity, "Every decision has its decision packet");
    private static readonly Rule EscalationRule =
        new("integrity.escalation_wait", AuditCategory.DecisionIntegrity, "No escalation waits too long for a guardian");

    private static AuditCheckResult DecidedFields(AuditSnapshot s, AuditBounds b)
    {
        var bad = s.Decisions
            .Where(d => d.State != AuditDecisionState.Pending && (d.DecidedAt is null || string.IsNullOrWhiteSpace(d.DecidedBy)))
            .Select(d => d.Id).ToArray();
        return bad.Length == 0
            ? DecidedRule.Pass("Every decided decision records decided_at and decided_by.")
            : DecidedRule.Fail(Invariant($"{bad.Length} decided decisions lack decided_at or decided_by: {Name(bad)}."),
                "Recover who decided and when from the event log (`nodectl log show`) and fix the decision writer that dropped them.");
    }

    private static AuditCheckResult ConfidenceRange(AuditSnapshot s, AuditBounds b)
    {
        var bad = s.Decisions.Where(d => !(d.Confidence is >= 0 and <= 1))
            .Select(d => Invariant($"{d.Id} ({d.Confidence})")).ToArray();
        return bad.Length == 0
            ? ConfidenceRule.Pass("Every decision's confidence is finite and in [0, 1].")
            : ConfidenceRule.Fail(Invariant($"{bad.Length} decisions have a confidence outside [0, 1]: {Name(bad)}."),
                "A stage or the pooling produced an invalid confidence: replay the subject (`sovereign-node replay`) to find the stage, and hold these decisions for a guardian.");
    }

    private static AuditCheckResult DecisionPackets(AuditSnapshot s, AuditBounds b)
    {
        var bad = s.Decisions.Where(d => !d.HasPacket).Select(d => d.Id).ToArray();
        return bad.Length == 0
            ? PacketsRule.Pass(Invariant($"All {s.Decisions.Count} decisions have their packet."))
            : PacketsRule.Fail(Invariant($"{bad.Length} decisions lack their decision packet: {Name(bad)}."),
                "Check the packet store (`nodectl log verify`) and restore the missing packets from a backup or a core peer.");
    }

    private static AuditCheckResult EscalationWait(AuditSnapshot s, AuditBounds b)
    {
        var bad = s.Decisions
            .Where(d => d.State == AuditDecisionState.Pending && s.Now - d.CreatedAt > b.EscalationMaxWait)
            .Select(d => $"{d.Id} (waiting {Ago(s.Now - d.CreatedAt)})").ToArray();
        return bad.Length == 0
            ? EscalationRule.Pass(Invariant($"No escalation has waited longer than {Ago(b.EscalationMaxWait)}."))
            : EscalationRule.Fail(Invariant($"{bad.Length} escalations have waited longer than {Ago(b.EscalationMaxWait)}: {Name(bad)}."),
                "A guardian should decide them: `nodectl decisions approve|reject <id>`.");
    }
}
