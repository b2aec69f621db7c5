using Node.Reasoning.Findings;

namespace Node.Reasoning.Audit;

/// <summary>When a reasoner last ran (the pipeline's per-reasoner last-run time).</summary>
/// <param name="Reasoner">The reasoner.</param>
/// <param name="LastRunAt">When it last produced findings or abstained; null if it never ran since start.</param>
public sealed record ReasonerActivity(Reasoner Reasoner, DateTimeOffset? LastRunAt);
