// Brier, "Verification of forecasts expressed in terms of probability" (Monthly Weather Review 78, 1950);
// Brier skill score against climatology (Wilks, "Statistical Methods in the Atmospheric Sciences", 3rd ed., 8.4.2);
// expected calibration error over equal-width bins (Naeini, Cooper & Hauskrecht, AAAI 2015, section 3;
// Guo, Pleiss, Sun & Weinberger, ICML 2017, section 2).
namespace Node.Reasoning.Confidence;

/// <summary>
/// Accumulates (probability, outcome) pairs and reports the Brier score, the base-rate Brier score (always predicting
/// the pairs' own positive rate), the Brier skill score and the expected calibration error over
/// <see cref="BinCount"/> equal-width bins: ECE = Σ_b (n_b / N) · |mean p_b − mean y_b|.
/// </summary>
/// <remarks>Allocation-free after construction; <see cref="Add"/> is O(1). Not thread-safe.</remarks>
public sealed class CalibrationMetrics
{
    /// <summary>The number of equal-width probability bins, 10: [0, 0.1), …, [0.9, 1].</summary>
    public const int BinCount = 10;

    private readonly long[] _binCount = new long[BinCount];
    private readonly double[] _binSumP = new double[BinCount];
    private readonly double[] _binSumY = new double[BinCount];
    private double _sumSquaredError;

    /// <summary>How many pairs were added.</summary>
    public long Count { get; private set; }

    /// <summary>How many pairs had outcome 1.</summary>
    public long Positives { get; private set; }

    /// <summary>How many pairs had outcome 0.</summary>
    public long Negatives => Count - Positives;

    /// <summary>The share of pairs with outcome 1; NaN with none.</summary>
    public double BaseRate => Count > 0 ? (double)Positives / Count : double.NaN;

    /// <summary>Mean of (p − y)²; 0 is perfect, 0.25 is always saying ½. NaN with no pairs.</summary>
    public double BrierScore => Count > 0 ? _sumSquaredError / Count : double.NaN;

    /// <summary>The Brier score of predicting <see cref="BaseRate"/> for every pair: r·(1 − r). NaN with no pairs.</summary>
    public double BaseRateBrierScore => BaseRate * (1 - BaseRate);

    /// <summary>1 − Brier / base-rate Brier: above 0 beats the base rate, 1 is perfect. NaN with no pairs or a single kind of outcome.</summary>
    public double BrierSkillScore => BaseRateBrierScore > 0 ? 1 - BrierScore / BaseRateBrierScore : double.NaN;

    /// <summary>Σ over the 10 bins of (n_b / N)·|mean p − mean y|; 0 is perfectly calibrated. NaN with no pairs.</summary>
    public double ExpectedCalibrationError
    {
        get
        {
            if (Count == 0)
            {
                return double.NaN;
            }

            var sum = 0.0;
            for (var b = 0; b < BinCount; b++)
            {
                // (n_b / N)·|Σp/n_b − Σy/n_b| = |Σp − Σy| / N
                sum += Math.Abs(_binSumP[b] - _binSumY[b]);
            }

            return sum / Count;
        }
    }

    /// <summary>How many pairs fell in bin <paramref name="bin"/> (0 to 9).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bin"/> is not 0 to 9.</exception>
    public long BinSize(int bin)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)bin, (uint)BinCount, nameof(bin));
        return _binCount[bin];
    }

    /// <summary>Adds a prediction <paramref name="probability"/> and its realised <paramref name="outcome"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is not within [0, 1] (NaN included).</exception>
    public void Add(double probability, bool outcome)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Must be within [0, 1].");
        }

        var y = outcome ? 1.0 : 0.0;
        var bin = Math.Min((int)(probability * BinCount), BinCount - 1);
        _binCount[bin]++;
        _binSumP[bin] += probability;
        _binSumY[bin] += y;
        _sumSquaredError += (probability - y) * (probability - y);
        Count++;
        Positives += outcome ? 1 : 0;
    }

    /// <summary>Forgets every pair.</summary>
    public void Reset()
    {
        _binCount.AsSpan().Clear();
        _binSumP.AsSpan().Clear();
        _binSumY.AsSpan().Clear();
        _sumSquaredError = 0;
        Count = 0;
        Positives = 0;
    }
}
