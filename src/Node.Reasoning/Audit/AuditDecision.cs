namespace Node.Reasoning.Audit;

/// <summary>One decision as the audit sees it (from the decisions table and the decision's events).</summary>
/// <param name="Id">The decision id.</param>
/// <param name="Type">The decision type (<c>rollback</c>, <c>deployment</c>, <c>scaling</c>…), as in the decision matrix.</param>
/// <param name="State">Pending, approved or rejected.</param>
/// <param name="Automatic">True when the decision matrix approved it without a guardian.</param>
/// <param name="Confidence">The combined confidence it was decided on; should be finite and in [0, 1].</param>
/// <param name="ExplanationSteps">The number of non-empty steps in its explanation chain (findings and reasons it rests on).</param>
/// <param name="HasPacket">True when its decision packet is in the packet store.</param>
/// <param name="CreatedAt">When the decision was proposed.</param>
/// <param name="DecidedAt">When it was approved or rejected; null while pending.</param>
/// <param name="DecidedBy">Who decided: a guardian's name, or the matrix (e.g. <c>auto</c>) for automatic approvals; null while pending.</param>
public sealed record AuditDecision(string Id, string Type, AuditDecisionState State, bool Automatic, double Confidence,
    int ExplanationSteps, bool HasPacket, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedBy);
