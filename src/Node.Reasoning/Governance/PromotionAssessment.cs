namespace Node.Reasoning.Governance;

/// <summary>A promotion review's result: the confidence that the packet may join the knowledge base, and why.</summary>
/// <param name="Confidence">In [0, 1]; 0 when a guardrail failed.</param>
/// <param name="Factors">The evidence weighed, in a fixed order.</param>
/// <param name="FailedGuardrail">The name of the guardrail that failed, or null.</param>
public sealed record PromotionAssessment(double Confidence, IReadOnlyList<PromotionFactor> Factors, string? FailedGuardrail);
