namespace Node.Reasoning.Audit;

/// <summary>One row of the decision matrix (its configuration, not its use).</summary>
/// <param name="Type">The decision type.</param>
/// <param name="ApprovalThreshold">The confidence at or above which it may be approved automatically, in [0, 1].</param>
/// <param name="HourlyAutoApprovalCap">The most automatic approvals allowed within any 60 minutes.</param>
public sealed record AuditDecisionType(string Type, double ApprovalThreshold, int HourlyAutoApprovalCap);
