namespace Node.Reasoning.Audit;

/// <summary>Where a decision stands.</summary>
public enum AuditDecisionState : byte
{
    /// <summary>Waiting for a guardian (escalated).</summary>
    Pending,

    /// <summary>Approved, automatically or by a guardian.</summary>
    Approved,

    /// <summary>Rejected by a guardian.</summary>
    Rejected,
}
