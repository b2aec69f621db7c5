// Logarithmic opinion pooling (Genest & Zidek 1986, "Combining probability distributions",
// Statistical Science 1(1), section 3; Bordley 1982): z = b + Σ w_k · logit(p_k). Unlike a product
// of confidences, agreeing stages raise the pooled confidence instead of mechanically lowering it.
namespace Node.Reasoning.Confidence;

/// <summary>
/// Pools up to <see cref="MaxStages"/> stage confidences in log-odds with one weight per stage and a bias:
/// <c>z = Bias + Σ w_k · logit(clamp(p_k))</c>. A stage that abstains passes NaN and is left out.
/// The result is a score in log-odds, to be mapped to a probability by an <see cref="OnlineCalibrator"/>
/// (or by <see cref="Sigmoid"/> when uncalibrated).
/// </summary>
/// <remarks>Weights default to 1 and the bias to 0. Not thread-safe; no allocation after construction.</remarks>
public sealed class LogOddsPool
{
    /// <summary>The most stages a pool takes.</summary>
    public const int MaxStages = 8;

    /// <summary>Confidences are clamped to [<see cref="MinConfidence"/>, 1 − <see cref="MinConfidence"/>] before the logit.</summary>
    public const double MinConfidence = 1e-4;

    /// <summary>The largest logit a clamped confidence gives, logit(1 − 1e-4) ≈ 9.21.</summary>
    public static readonly double MaxLogit = Math.Log((1 - MinConfidence) / MinConfidence);

    private readonly double[] _weights;

    /// <summary>Makes a pool of <paramref name="stageCount"/> stages, every weight 1 and bias 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stageCount"/> is not 1 to <see cref="MaxStages"/>.</exception>
    public LogOddsPool(int stageCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stageCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stageCount, MaxStages);
        _weights = new double[stageCount];
        _weights.AsSpan().Fill(1);
    }

    /// <summary>How many stages it pools.</summary>
    public int StageCount => _weights.Length;

    /// <summary>The weights, one per stage.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>The bias b added to every pooled score, in log-odds. Defaults to 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite.</exception>
    public double Bias
    {
        get;
        set
        {
            ThrowIfNotFinite(value);
            field = value;
        }
    }

    /// <summary>The weight of stage <paramref name="stage"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stage"/> is not a stage index.</exception>
    public double GetWeight(int stage)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)stage, (uint)_weights.Length, nameof(stage));
        return _weights[stage];
    }

    /// <summary>Sets the weight of stage <paramref name="stage"/>; below 1 discounts a stage that reads the same data as another.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stage"/> is not a stage index or <paramref name="weight"/> is not finite.</exception>
    public void SetWeight(int stage, double weight)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)stage, (uint)_weights.Length, nameof(stage));
        ThrowIfNotFinite(weight);
        _weights[stage] = weight;
    }

    /// <summary>Sets every weight and the bias at once.</summary>
    /// <exception cref="ArgumentException"><paramref name="weights"/> does not hold <see cref="StageCount"/> values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight or the bias is not finite.</exception>
    public void SetWeights(ReadOnlySpan<double> weights, double bias)
    {
        if (weights.Length != _weights.Length)
        {
            throw new ArgumentException($"Expected {_weights.Length} weights; got {weights.Length}.", nameof(weights));
        }

        foreach (var w in weights)
        {
            ThrowIfNotFinite(w);
        }

        ThrowIfNotFinite(bias);
        weights.CopyTo(_weights);
        Bias = bias;
    }

    /// <summary>
    /// The pooled score z = b + Σ w_k · logit(clamp(p_k)) in log-odds, over the stages whose confidence is not NaN.
    /// With every stage abstaining it is the bias. Stages past the span's end count as abstaining.
    /// </summary>
    /// <param name="stageConfidences">One confidence in [0, 1] per stage, NaN for a stage that abstains; values outside are clamped.</param>
    /// <exception cref="ArgumentException">More confidences than <see cref="StageCount"/>.</exception>
    public double Pool(ReadOnlySpan<double> stageConfidences)
    {
        ThrowIfTooMany(stageConfidences.Length);
        var z = Bias;
        for (var k = 0; k < stageConfidences.Length; k++)
        {
            var p = stageConfidences[k];
            if (!double.IsNaN(p))
            {
                z += _weights[k] * Logit(p);
            }
        }

        return z;
    }

    /// <summary>
    /// The pooled score from stage logits (logit of each confidence, NaN where a stage abstained): b + Σ w_k · x_k over the non-NaN x_k.
    /// </summary>
    /// <exception cref="ArgumentException">More logits than <see cref="StageCount"/>.</exception>
    public double PoolLogits(ReadOnlySpan<double> stageLogits)
    {
        ThrowIfTooMany(stageLogits.Length);
        var z = Bias;
        for (var k = 0; k < stageLogits.Length; k++)
        {
            var x = stageLogits[k];
            if (!double.IsNaN(x))
            {
                z += _weights[k] * x;
            }
        }

        return z;
    }

    /// <summary>
    /// log(p / (1 − p)) of <paramref name="p"/> clamped to [1e-4, 1 − 1e-4], so always finite (|logit| ≤ <see cref="MaxLogit"/>).
    /// NaN stays NaN.
    /// </summary>
    public static double Logit(double p)
    {
        if (double.IsNaN(p))
        {
            return double.NaN;
        }

        p = Math.Clamp(p, MinConfidence, 1 - MinConfidence);
        return Math.Log(p / (1 - p));
    }

    /// <summary>1 / (1 + e^−z), computed without overflow for any z; ±∞ give 1 and 0, NaN stays NaN.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }

        var e = Math.Exp(z);
        return e / (1 + e);
    }

    private void ThrowIfTooMany(int length)
    {
        if (length > _weights.Length)
        {
            throw new ArgumentException($"The pool has {_weights.Length} stages; got {length} values.");
        }
    }

    private static void ThrowIfNotFinite(double value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be finite.");
        }
    }
}
