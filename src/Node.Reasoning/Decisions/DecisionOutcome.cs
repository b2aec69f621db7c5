namespace Node.Reasoning.Decisions;

/// <summary>What the decision matrix did with a decision.</summary>
public enum DecisionOutcome : byte
{
    /// <summary>Approved without a guardian, and counted toward the type's hourly cap.</summary>
    AutoApproved,

    /// <summary>Waits for a guardian (<c>nodectl decisions approve|reject</c>).</summary>
    Escalated,

    /// <summary>Not a valid decision: an unknown type or a confidence outside [0, 1].</summary>
    Refused,
}
