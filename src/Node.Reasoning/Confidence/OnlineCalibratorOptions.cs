namespace Node.Reasoning.Confidence;

/// <summary>Settings of an <see cref="OnlineCalibrator"/>; <see cref="Validate"/> checks them.</summary>
public sealed class OnlineCalibratorOptions
{
    /// <summary>The default AdaGrad base step η, 0.2.</summary>
    public const double DefaultLearningRate = 0.2;

    /// <summary>The default per-outcome L2 penalty λ on the weights, 1e-4.</summary>
    public const double DefaultL2 = 1e-4;

    /// <summary>The default number of score bins, 48.</summary>
    public const int DefaultBinCount = 48;

    /// <summary>The default half-life of an outcome in the bins, 2,000 outcomes.</summary>
    public const double DefaultHalfLife = 2000;

    /// <summary>
    /// The AdaGrad base step η: coordinate j moves by η·g_j / √(ε + Σ g_j²). Defaults to 0.2: a first step of about 0.2 in
    /// each coordinate (|g| ≈ 1 on logits of a few units), so a weight that is off by 1 is corrected within a few hundred
    /// outcomes, while the step after t outcomes is about η/√t, which keeps the weights within a few hundredths of the
    /// optimum once thousands of outcomes are in. 0 (exclusive) to 10.
    /// </summary>
    public double LearningRate { get; set; } = DefaultLearningRate;

    /// <summary>
    /// The L2 penalty λ per outcome on the weights (not the bias): each step's gradient gets λ·w. Defaults to 1e-4, which over
    /// the ≈ 2,900 outcomes a 2,000-outcome half-life keeps is a batch penalty of ≈ 0.3, the
    /// order of a usual batch L2 of 1: it stops a weight of a stage that rarely speaks from wandering, and shrinks a
    /// well-determined weight by well under 1 %. 0 to 1.
    /// </summary>
    public double L2 { get; set; } = DefaultL2;

    /// <summary>How many equal-width bins of the pooled score the calibration keeps, 2 to 1,024. Defaults to 48.</summary>
    public int BinCount { get; set; } = DefaultBinCount;

    /// <summary>The low end of the binned score range, in log-odds; lower scores fall in the first bin. Defaults to −6.</summary>
    public double MinScore { get; set; } = -6;

    /// <summary>The high end of the binned score range, in log-odds, above <see cref="MinScore"/>; higher scores fall in the last bin. Defaults to 6.</summary>
    public double MaxScore { get; set; } = 6;

    /// <summary>After this many further outcomes an outcome weighs half as much in the bins, 10 to 10⁹. Defaults to 2,000.</summary>
    public double HalfLife { get; set; } = DefaultHalfLife;

    /// <summary>Fewer decayed outcomes than this in the bins and <see cref="OnlineCalibrator.Refit"/> changes nothing, 1 or more. Defaults to 50.</summary>
    public double MinOutcomes { get; set; } = 50;

    /// <summary>Isotonic from this many decayed outcomes in the bins on, Platt below; 1 or more. Defaults to 1,000.</summary>
    public double IsotonicThreshold { get; set; } = 1000;

    /// <summary>Null when every setting is within its range; otherwise a message naming the first bad one, its value and the range.</summary>
    public string? Validate()
    {
        if (!(LearningRate > 0 && LearningRate <= 10))
        {
            return $"{nameof(LearningRate)} must be above 0 and at most 10; was {LearningRate}.";
        }

        if (!(L2 >= 0 && L2 <= 1))
        {
            return $"{nameof(L2)} must be between 0 and 1; was {L2}.";
        }

        if (BinCount is < 2 or > OnlineCalibrationState.MaxBins)
        {
            return $"{nameof(BinCount)} must be between 2 and {OnlineCalibrationState.MaxBins}; was {BinCount}.";
        }

        if (!double.IsFinite(MinScore) || !double.IsFinite(MaxScore) || !(MinScore < MaxScore))
        {
            return $"{nameof(MinScore)} and {nameof(MaxScore)} must be finite with {nameof(MinScore)} below; were {MinScore} and {MaxScore}.";
        }

        if (!(HalfLife >= 10 && HalfLife <= 1e9))
        {
            return $"{nameof(HalfLife)} must be between 10 and 1e9 outcomes; was {HalfLife}.";
        }

        if (!(MinOutcomes >= 1) || !double.IsFinite(MinOutcomes))
        {
            return $"{nameof(MinOutcomes)} must be finite and at least 1; was {MinOutcomes}.";
        }

        if (!(IsotonicThreshold >= 1))
        {
            return $"{nameof(IsotonicThreshold)} must be at least 1; was {IsotonicThreshold}.";
        }

        return null;
    }
}
