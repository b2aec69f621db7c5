namespace Node.Reasoning.Decisions;

/// <summary>Why the decision matrix reached its <see cref="DecisionOutcome"/>.</summary>
public enum DecisionReason : byte
{
    /// <summary>Approved: the confidence is at or above the threshold and the hourly cap has room.</summary>
    AtOrAboveThreshold,

    /// <summary>Escalated: the confidence is below the type's threshold.</summary>
    BelowThreshold,

    /// <summary>Escalated: the type reached its cap of automatic approvals in the last 60 minutes.</summary>
    OverHourlyCap,

    /// <summary>Escalated: a guardian stopped all automatic action.</summary>
    GuardianStop,

    /// <summary>Escalated: the type's cap is 0, so it is never approved automatically.</summary>
    NeverAutomatic,

    /// <summary>Refused: the policy has no rule for the type.</summary>
    UnknownType,

    /// <summary>Refused: the confidence is NaN or outside [0, 1].</summary>
    InvalidConfidence,
}
