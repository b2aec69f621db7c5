namespace Node.Reasoning.Decisions;

/// <summary>The decision matrix's verdict on one decision, with the figures it was judged by.</summary>
/// <param name="Outcome">Approved automatically, escalated to a guardian, or refused.</param>
/// <param name="Reason">Why.</param>
/// <param name="Threshold">The type's approval threshold; NaN for an unknown type.</param>
/// <param name="MaxAutoPerHour">The type's hourly cap on automatic approvals; 0 for an unknown type.</param>
/// <param name="ApprovalsInLastHour">
/// Automatic approvals of the type in the 60 minutes before this decision (not counting it), at most the cap.
/// </param>
public readonly record struct DecisionVerdict(DecisionOutcome Outcome, DecisionReason Reason, double Threshold,
    int MaxAutoPerHour, int ApprovalsInLastHour)
{
    /// <summary>Whether it was approved without a guardian.</summary>
    public bool IsAutoApproved => Outcome == DecisionOutcome.AutoApproved;
}
