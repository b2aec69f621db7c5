using Node.Reasoning.Findings;

namespace Node.Reasoning;

/// <summary>What the pipeline concluded from one observation.</summary>
/// <param name="Time">The observation's time, Unix seconds.</param>
/// <param name="HasClaim">Whether there is a claim (false during warm-up or with no finding).</param>
/// <param name="Claim">The finding kind the conclusion claims (docs/reasoning.md, "Outcome labels").</param>
/// <param name="Direction">+1, −1 or 0.</param>
/// <param name="Confidence">The calibrated probability that the claim holds.</param>
/// <param name="Score">The pooled log-odds before calibration.</param>
/// <param name="Stages">Each stage's confidence.</param>
/// <param name="Conflict">Whether Aletheia found findings contradicting each other.</param>
/// <param name="DecisionType">The decision the conclusion asks the matrix for, or null.</param>
public readonly record struct Conclusion(long Time, bool HasClaim, FindingKind Claim, int Direction, double Confidence,
    double Score, StageConfidences Stages, bool Conflict, string? DecisionType);
