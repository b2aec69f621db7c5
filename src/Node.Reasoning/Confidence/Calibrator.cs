namespace Node.Reasoning.Confidence;

/// <summary>
/// Maps a pooled log-odds score to a calibrated probability, and refits itself with its <see cref="LogOddsPool"/>
/// from realised outcomes. It uses <see cref="IsotonicCalibration"/> when the last refit had at least
/// <see cref="IsotonicThreshold"/> samples (default 1,000), <see cref="PlattScaling"/> otherwise, and σ(z) until fitted.
/// </summary>
/// <remarks>
/// <see cref="Refit"/> works in this order: (1) <see cref="WeightFitter"/> refits the pool's weights and bias on the
/// stored stage logits; (2) every sample is re-pooled with the new weights; (3) Platt and, at or above the threshold,
/// isotonic are fitted on those re-pooled scores. The calibrator is therefore always fitted to the scores the current
/// weights produce, never to the stale scores stored with the samples. Allocation-free after construction; not thread-safe.
/// </remarks>
public sealed class Calibrator
{
    /// <summary>The default sample count from which isotonic is used, 1,000.</summary>
    public const int DefaultIsotonicThreshold = 1000;

    /// <summary>The default fewest samples a refit needs, 50.</summary>
    public const int DefaultMinSamples = 50;

    private readonly WeightFitter _fitter;
    private readonly double[] _scores;
    private readonly bool[] _outcomes;

    /// <summary>Makes an unfitted calibrator around <paramref name="pool"/>, for refits over up to <paramref name="capacity"/> samples.</summary>
    /// <param name="pool">The pool whose weights <see cref="Refit"/> fits; shared with the caller.</param>
    /// <param name="capacity">The most samples a refit takes (the <see cref="OutcomeSamples.Capacity"/>), default 4,096.</param>
    /// <param name="isotonicThreshold">Isotonic from this many samples on, default 1,000.</param>
    /// <param name="minSamples">Fewer samples than this and <see cref="Refit"/> changes nothing, default 50.</param>
    /// <param name="l2">The L2 penalty of the weight fit, default <see cref="WeightFitter.DefaultL2"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1 or <paramref name="l2"/> is not positive and finite.</exception>
    public Calibrator(LogOddsPool pool, int capacity = OutcomeSamples.DefaultCapacity,
        int isotonicThreshold = DefaultIsotonicThreshold, int minSamples = DefaultMinSamples, double l2 = WeightFitter.DefaultL2)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(isotonicThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minSamples, 1);
        Pool = pool;
        IsotonicThreshold = isotonicThreshold;
        MinSamples = minSamples;
        _fitter = new WeightFitter(pool.StageCount, l2);
        _scores = new double[capacity];
        _outcomes = new bool[capacity];
        Isotonic = new IsotonicCalibration(capacity);
    }

    /// <summary>The pool whose weights <see cref="Refit"/> fits.</summary>
    public LogOddsPool Pool { get; }

    /// <summary>The Platt map, fitted at every successful refit.</summary>
    public PlattScaling Platt { get; } = new();

    /// <summary>The isotonic map, fitted at refits with at least <see cref="IsotonicThreshold"/> samples.</summary>
    public IsotonicCalibration Isotonic { get; }

    /// <summary>The map <see cref="Calibrate(double)"/> applies.</summary>
    public CalibrationMethod Method { get; private set; }

    /// <summary>Isotonic from this many samples on.</summary>
    public int IsotonicThreshold { get; }

    /// <summary>The fewest samples a refit needs.</summary>
    public int MinSamples { get; }

    /// <summary>How many samples the last successful refit used; 0 before.</summary>
    public int SamplesUsed { get; private set; }

    /// <summary>The calibrated probability of pooled score <paramref name="z"/> under <see cref="Method"/>.</summary>
    public double Calibrate(double z) => Method switch
    {
        CalibrationMethod.Isotonic => Isotonic.Calibrate(z),
        CalibrationMethod.Platt => Platt.Calibrate(z),
        _ => LogOddsPool.Sigmoid(z),
    };

    /// <summary>Pools <paramref name="stageConfidences"/> (NaN = abstained) with <see cref="Pool"/>, then calibrates.</summary>
    /// <exception cref="ArgumentException">More confidences than the pool has stages.</exception>
    public double Calibrate(ReadOnlySpan<double> stageConfidences) => Calibrate(Pool.Pool(stageConfidences));

    /// <summary>
    /// Refits the pool's weights, then the calibration, on <paramref name="samples"/> (order in the remarks). Returns
    /// false and changes nothing when there are fewer than <see cref="MinSamples"/> samples or only one kind of outcome.
    /// </summary>
    /// <exception cref="ArgumentException">The samples have another stage count than the pool, or more than the capacity.</exception>
    public bool Refit(OutcomeSamples samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.StageCount != Pool.StageCount)
        {
            throw new ArgumentException($"The pool has {Pool.StageCount} stages; the samples {samples.StageCount}.", nameof(samples));
        }

        var n = samples.Count;
        if (n > _scores.Length)
        {
            throw new ArgumentException($"The calibrator takes at most {_scores.Length} samples; got {n}.", nameof(samples));
        }

        if (n < MinSamples || !_fitter.Fit(samples, Pool))
        {
            return false;
        }

        for (var i = 0; i < n; i++)
        {
            _scores[i] = Pool.PoolLogits(samples.Logits(i));
            _outcomes[i] = samples.Outcome(i);
        }

        var scores = _scores.AsSpan(0, n);
        var outcomes = _outcomes.AsSpan(0, n);
        Platt.Fit(scores, outcomes);
        Method = n >= IsotonicThreshold && Isotonic.Fit(scores, outcomes) ? CalibrationMethod.Isotonic : CalibrationMethod.Platt;
        SamplesUsed = n;
        return true;
    }

    /// <summary>A copy of the fitted state (weights, bias, Platt, isotonic breakpoints, method), to store.</summary>
    public CalibrationState Save() => new(
        Pool.Weights.ToArray(), Pool.Bias, Platt.A, Platt.B,
        Method == CalibrationMethod.Isotonic ? Isotonic.BreakpointScores.ToArray() : [],
        Method == CalibrationMethod.Isotonic ? Isotonic.BreakpointProbabilities.ToArray() : [],
        Method, SamplesUsed);

    /// <summary>Restores a state <see cref="Save"/> returned (or <see cref="CalibrationState.TryRead"/> read).</summary>
    /// <exception cref="ArgumentException">The state has another stage count than the pool, or more breakpoints than the isotonic map keeps.</exception>
    public void Restore(CalibrationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Weights.Length != Pool.StageCount)
        {
            throw new ArgumentException($"The pool has {Pool.StageCount} stages; the state {state.Weights.Length}.", nameof(state));
        }

        Pool.SetWeights(state.Weights, state.Bias);
        Platt.SetParameters(state.PlattA, state.PlattB);
        if (state.Method == CalibrationMethod.Isotonic)
        {
            Isotonic.SetBreakpoints(state.IsotonicScores, state.IsotonicProbabilities);
        }
        else
        {
            Isotonic.Reset();
        }

        if (state.Method == CalibrationMethod.Identity)
        {
            Platt.Reset();
        }

        Method = state.Method;
        SamplesUsed = state.SamplesUsed;
    }
}
