namespace Node.Reasoning.Governance;

/// <summary>One piece of evidence a promotion review weighed.</summary>
/// <param name="Name">Its stable name (<c>relayer_record</c>, <c>author</c>, <c>corroboration</c>, <c>clock</c>, <c>content</c>).</param>
/// <param name="Detail">What was found, for a guardian to read.</param>
/// <param name="LogOdds">What it added to the log-odds of promoting; 0 for neutral evidence, −∞ for a failed guardrail.</param>
public sealed record PromotionFactor(string Name, string Detail, double LogOdds);
