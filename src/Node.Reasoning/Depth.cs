namespace Node.Reasoning;

/// <summary>How much of each stage runs (docs/reasoning.md, "Depth").</summary>
public enum Depth : byte
{
    /// <summary>
    /// Perceive; Kyle's bar rules (trend, breakout, extreme move, ATR risk); pooling and calibration.
    /// No pivots, no baseline, no recall, no consistency check.
    /// </summary>
    Shallow,

    /// <summary>Shallow, plus Kyle's pivot rules (reversal, divergence) and consolidation, ID's diagonal baseline, Joey's recall and Aletheia's consistency check.</summary>
    Moderate,

    /// <summary>Moderate, plus ID's full-covariance (Mahalanobis) novelty and the 55-bar Donchian breakout.</summary>
    Deep,
}
