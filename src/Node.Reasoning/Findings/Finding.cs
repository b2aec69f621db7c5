namespace Node.Reasoning.Findings;

/// <summary>One finding of one reasoner about one observation: what, which way, how sure, and its evidence.</summary>
/// <param name="Reasoner">Who found it.</param>
/// <param name="Kind">What it says.</param>
/// <param name="Direction">+1 bullish (or rising), −1 bearish (or falling), 0 neither.</param>
/// <param name="Confidence">How sure the reasoner is, in [0, 1] (before pooling and calibration).</param>
/// <param name="Level">The level the finding is about (breakout level, pivot price, resource use); kind-specific.</param>
/// <param name="Evidence">The figure that made it fire (volume percentile, z-score, seconds to exhaustion…); kind-specific.</param>
/// <param name="Resource">The resource a Kenny finding is about; <see cref="Resource.None"/> otherwise.</param>
public readonly record struct Finding(Reasoner Reasoner, FindingKind Kind, int Direction, double Confidence,
    double Level, double Evidence, Resource Resource = Resource.None);
