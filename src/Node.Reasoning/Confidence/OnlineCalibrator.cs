// Online logistic regression with AdaGrad step sizes: Duchi, Hazan & Singer, "Adaptive subgradient methods for online
// learning and stochastic optimization" (JMLR 12, 2011), section 1.1 (diagonal AdaGrad); McMahan et al., "Ad click
// prediction: a view from the trenches" (KDD 2013), section 3.1 (per-coordinate rates for logistic regression).
// Calibration from binned sufficient statistics: Platt scaling on weighted points (Platt 1999, 2.1; Lin, Lin & Weng 2007,
// Algorithm 1) or pool-adjacent-violators over the bins (Zadrozny & Elkan, KDD 2002, section 3), with exponential
// forgetting applied lazily through a growing unit weight (the "scaled increment" trick of exponentially decayed counters,
// Cormode, Shkapenyuk, Srivastava & Xu, "Forward decay", ICDE 2009, section 3).
namespace Node.Reasoning.Confidence;

/// <summary>
/// Learns the weights of a <see cref="LogOddsPool"/> and a calibration map one outcome at a time, so that a refit costs
/// O(bins) instead of O(samples). <see cref="Learn"/> takes one AdaGrad step of logistic regression on the stage logits
/// (a learner copy of the weights) and adds the outcome to a bin of the score it was issued with; <see cref="Refit"/>
/// fits Platt (or, from <see cref="OnlineCalibratorOptions.IsotonicThreshold"/> decayed outcomes, isotonic) to the bins
/// and copies the learner's weights into <see cref="Pool"/>.
/// </summary>
/// <remarks>
/// The bins hold the scores conclusions were issued with, i.e. under the pool's weights at the time. When a refit moves
/// those weights, the bins filled before it describe the old score scale until the decay (half-life
/// <see cref="OnlineCalibratorOptions.HalfLife"/>) washes them out; the learner's steps shrink as 1/√t, so after its first
/// few thousand outcomes the weights, and hence the scale, move little from one refit to the next.
/// Allocation-free after construction; not thread-safe.
/// </remarks>
public sealed class OnlineCalibrator
{
    private const double AdaGradEpsilon = 1e-8;
    private const double RenormaliseAbove = 1e150;  // the unit weight grows by 2^(1/half-life) per outcome
    private const double EmptyBin = 1e-9;           // an outcome decays below this after 30 half-lives

    private readonly int _stages;
    private readonly double _eta, _l2, _decay, _minScore, _maxScore, _binsPerScore, _minOutcomes, _isotonicThreshold;
    private readonly double[] _weights;      // learner w_1..w_K
    private readonly double[] _accumulators; // Σg² of w_1..w_K, then of the bias
    private readonly double[] _logits;
    private readonly double[] _count, _positives, _scoreSum;  // per bin, in units of _unit
    private readonly double[] _fitScores, _fitCounts, _fitPositives;
    private readonly double[] _blockZ, _blockY, _blockW;
    private readonly PlattScaling _platt = new();
    private readonly IsotonicCalibration _isotonic;
    private double _bias;
    private double _unit = 1;                // the stored weight of the newest outcome; stored / _unit = decayed count
    private double _totalPositives, _totalNegatives;

    /// <summary>Makes a calibrator around <paramref name="pool"/>, identity until the first successful <see cref="Refit"/>.</summary>
    /// <param name="pool">The pool whose weights <see cref="Refit"/> sets; shared with the caller. The learner starts from its weights and bias.</param>
    /// <param name="options">The settings; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> fails <see cref="OnlineCalibratorOptions.Validate"/>.</exception>
    public OnlineCalibrator(LogOddsPool pool, OnlineCalibratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        options ??= new OnlineCalibratorOptions();
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        Pool = pool;
        _stages = pool.StageCount;
        (_eta, _l2, _minOutcomes, _isotonicThreshold) = (options.LearningRate, options.L2, options.MinOutcomes, options.IsotonicThreshold);
        (_minScore, _maxScore) = (options.MinScore, options.MaxScore);
        _binsPerScore = options.BinCount / (options.MaxScore - options.MinScore);
        _decay = Math.Pow(2, -1 / options.HalfLife);
        _weights = pool.Weights.ToArray();
        _bias = pool.Bias;
        _accumulators = new double[_stages + 1];
        _logits = new double[_stages];
        var bins = options.BinCount;
        (_count, _positives, _scoreSum) = (new double[bins], new double[bins], new double[bins]);
        (_fitScores, _fitCounts, _fitPositives) = (new double[bins], new double[bins], new double[bins]);
        (_blockZ, _blockY, _blockW) = (new double[bins], new double[bins], new double[bins]);
        _isotonic = new IsotonicCalibration(capacity: 1, maxBreakpoints: bins);
    }

    /// <summary>The pool whose weights are used for pooling; changed only by <see cref="Refit"/>.</summary>
    public LogOddsPool Pool { get; }

    /// <summary>Identity until the first successful <see cref="Refit"/>, then Platt, or isotonic from the threshold on.</summary>
    public CalibrationMethod Method { get; private set; }

    /// <summary>The decayed outcome count in the bins.</summary>
    public double Outcomes => (_totalPositives + _totalNegatives) / _unit;

    /// <summary>How many outcomes were learnt since start (or since the restored state's start).</summary>
    public long Learned { get; private set; }

    /// <summary>The learner's weight of stage <paramref name="stage"/>, which the next <see cref="Refit"/> copies into <see cref="Pool"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stage"/> is not a stage index.</exception>
    public double LearnerWeight(int stage)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)stage, (uint)_stages, nameof(stage));
        return _weights[stage];
    }

    /// <summary>The learner's bias, in log-odds.</summary>
    public double LearnerBias => _bias;

    /// <summary>The calibrated probability of pooled score <paramref name="z"/> under <see cref="Method"/>: O(1) for Platt, O(log bins) for isotonic.</summary>
    public double Calibrate(double z) => Method switch
    {
        CalibrationMethod.Isotonic => _isotonic.Calibrate(z),
        CalibrationMethod.Platt => _platt.Calibrate(z),
        _ => LogOddsPool.Sigmoid(z),
    };

    /// <summary>
    /// Learns from one realised outcome in O(K): an AdaGrad step of the learner on the stage logits, and the outcome added
    /// to the bin of <paramref name="score"/>, the pooled score the conclusion was issued with.
    /// </summary>
    /// <param name="stageConfidences">One confidence per stage as given to <see cref="LogOddsPool.Pool"/>; NaN (abstained) is feature 0; missing stages abstain.</param>
    /// <param name="score">The pooled score in log-odds; beyond the bin range it counts at the range's end.</param>
    /// <param name="outcome">Whether the conclusion came true.</param>
    /// <exception cref="ArgumentException">More confidences than the pool has stages.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is NaN.</exception>
    public void Learn(ReadOnlySpan<double> stageConfidences, double score, bool outcome)
    {
        if (stageConfidences.Length > _stages)
        {
            throw new ArgumentException($"The pool has {_stages} stages; got {stageConfidences.Length} confidences.", nameof(stageConfidences));
        }

        if (double.IsNaN(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "Must not be NaN.");
        }

        var z = _bias;
        for (var k = 0; k < _stages; k++)
        {
            var x = k < stageConfidences.Length && !double.IsNaN(stageConfidences[k]) ? LogOddsPool.Logit(stageConfidences[k]) : 0;
            _logits[k] = x;
            z += _weights[k] * x;
        }

        var y = outcome ? 1.0 : 0.0;
        var error = LogOddsPool.Sigmoid(z) - y;  // ∂ logloss / ∂z
        for (var k = 0; k < _stages; k++)
        {
            var g = error * _logits[k] + _l2 * _weights[k];
            _accumulators[k] += g * g;
            _weights[k] -= _eta * g / Math.Sqrt(AdaGradEpsilon + _accumulators[k]);
        }

        _accumulators[_stages] += error * error;
        _bias -= _eta * error / Math.Sqrt(AdaGradEpsilon + _accumulators[_stages]);

        // Decay everything by d: the same as weighing the new outcome 1/d more than the last one.
        _unit /= _decay;
        if (_unit > RenormaliseAbove)
        {
            Renormalise();
        }

        var clamped = Math.Clamp(score, _minScore, _maxScore);
        var bin = Math.Min((int)((clamped - _minScore) * _binsPerScore), _count.Length - 1);
        _count[bin] += _unit;
        _scoreSum[bin] += _unit * clamped;
        if (outcome)
        {
            _positives[bin] += _unit;
            _totalPositives += _unit;
        }
        else
        {
            _totalNegatives += _unit;
        }

        Learned++;
    }

    /// <summary>
    /// Fits the calibration to the bins, Platt below the isotonic threshold and isotonic from it on, then copies the learner's
    /// weights and bias into <see cref="Pool"/>. O(bins · Newton steps), allocation-free. Returns false and changes nothing
    /// when the bins hold fewer than <see cref="OnlineCalibratorOptions.MinOutcomes"/> decayed outcomes or only one kind.
    /// </summary>
    public bool Refit()
    {
        var outcomes = Outcomes;
        if (outcomes < _minOutcomes || _totalPositives <= 0 || _totalNegatives <= 0)
        {
            return false;
        }

        var points = 0;
        for (var b = 0; b < _count.Length; b++)
        {
            var n = _count[b] / _unit;
            if (n >= EmptyBin)
            {
                (_fitCounts[points], _fitPositives[points], _fitScores[points]) = (n, Math.Min(_positives[b] / _unit, n), _scoreSum[b] / _count[b]);
                points++;
            }
        }

        var scores = _fitScores.AsSpan(0, points);
        var counts = _fitCounts.AsSpan(0, points);
        var positives = _fitPositives.AsSpan(0, points);
        CalibrationMethod method;
        if (outcomes >= _isotonicThreshold)
        {
            FitIsotonic(points);
            method = CalibrationMethod.Isotonic;
        }
        else if (_platt.Fit(scores, counts, positives, warmStart: Method != CalibrationMethod.Identity))
        {
            method = CalibrationMethod.Platt;
        }
        else
        {
            return false;
        }

        Pool.SetWeights(_weights, _bias);
        Method = method;
        return true;
    }

    /// <summary>A copy of the whole learnt state, to store.</summary>
    public OnlineCalibrationState Save()
    {
        var bins = _count.Length;
        var (counts, positives, sums) = (new double[bins], new double[bins], new double[bins]);
        for (var b = 0; b < bins; b++)
        {
            (counts[b], positives[b], sums[b]) = (_count[b] / _unit, Math.Min(_positives[b] / _unit, _count[b] / _unit), _scoreSum[b] / _unit);
        }

        var isotonic = Method == CalibrationMethod.Isotonic;
        return new OnlineCalibrationState(Pool.Weights.ToArray(), Pool.Bias, [.. _weights], _bias, [.. _accumulators], _minScore, _maxScore,
            counts, positives, sums, _platt.A, _platt.B,
            isotonic ? _isotonic.BreakpointScores.ToArray() : [], isotonic ? _isotonic.BreakpointProbabilities.ToArray() : [],
            Method, Learned);
    }

    /// <summary>Restores a state <see cref="Save"/> returned (or <see cref="OnlineCalibrationState.TryRead"/> read), pool weights included.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">The state has another stage count, bin count or score range than this calibrator.</exception>
    public void Restore(OnlineCalibrationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Weights.Length != _stages || state.BinCounts.Length != _count.Length || state.MinScore != _minScore || state.MaxScore != _maxScore)
        {
            throw new ArgumentException(
                $"The calibrator has {_stages} stages and {_count.Length} bins over [{_minScore}, {_maxScore}]; the state {state.Weights.Length} stages and {state.BinCounts.Length} bins over [{state.MinScore}, {state.MaxScore}].",
                nameof(state));
        }

        if (state.Method == CalibrationMethod.Isotonic)
        {
            _isotonic.SetBreakpoints(state.IsotonicScores, state.IsotonicProbabilities);
        }
        else
        {
            _isotonic.Reset();
        }

        if (state.Method == CalibrationMethod.Identity)
        {
            _platt.Reset();
        }
        else
        {
            _platt.SetParameters(state.PlattA, state.PlattB);
        }

        Pool.SetWeights(state.Weights, state.Bias);
        state.LearnerWeights.CopyTo(_weights, 0);
        _bias = state.LearnerBias;
        state.Accumulators.CopyTo(_accumulators, 0);
        state.BinCounts.CopyTo(_count, 0);
        state.BinPositives.CopyTo(_positives, 0);
        state.BinScoreSums.CopyTo(_scoreSum, 0);
        _unit = 1;
        (_totalPositives, _totalNegatives) = (0, 0);
        for (var b = 0; b < _count.Length; b++)
        {
            _totalPositives += _positives[b];
            _totalNegatives += _count[b] - _positives[b];
        }

        Method = state.Method;
        Learned = state.Learned;
    }

    /// <summary>Pool-adjacent-violators over the non-empty bins in score order, then Laplace smoothing, as <see cref="IsotonicCalibration.Fit"/> does over pairs.</summary>
    private void FitIsotonic(int points)
    {
        var blocks = 0;
        for (var i = 0; i < points; i++)
        {
            (_blockY[blocks], _blockW[blocks], _blockZ[blocks]) = (_fitPositives[i], _fitCounts[i], _fitScores[i] * _fitCounts[i]);
            blocks = IsotonicCalibration.Merge(_blockY, _blockW, _blockZ, blocks + 1);
        }

        // Smoothed rates can fall out of order again; pool them weighted by count. Reuses the fit buffers (read above).
        var smoothed = 0;
        for (var b = 0; b < blocks; b++)
        {
            var rate = (_blockY[b] + 1) / (_blockW[b] + 2);
            (_fitPositives[smoothed], _fitCounts[smoothed], _fitScores[smoothed]) = (rate * _blockW[b], _blockW[b], _blockZ[b]);
            smoothed = IsotonicCalibration.Merge(_fitPositives, _fitCounts, _fitScores, smoothed + 1);
        }

        // Centres are strictly increasing in exact arithmetic (each lies in its bins' range); merge any that rounding ties.
        var kept = 0;
        for (var b = 0; b < smoothed; b++)
        {
            var x = _fitScores[b] / _fitCounts[b];
            if (kept > 0 && !(x > _blockZ[kept - 1]))
            {
                var w = _blockW[kept - 1] + _fitCounts[b];
                _blockY[kept - 1] = (_blockY[kept - 1] * _blockW[kept - 1] + _fitPositives[b]) / w;
                _blockZ[kept - 1] = Math.Max(_blockZ[kept - 1], x);
                _blockW[kept - 1] = w;
                continue;
            }

            (_blockZ[kept], _blockY[kept], _blockW[kept]) = (x, _fitPositives[b] / _fitCounts[b], _fitCounts[b]);
            kept++;
        }

        _isotonic.SetBreakpoints(_blockZ.AsSpan(0, kept), _blockY.AsSpan(0, kept));
    }

    private void Renormalise()
    {
        for (var b = 0; b < _count.Length; b++)
        {
            _count[b] /= _unit;
            _positives[b] /= _unit;
            _scoreSum[b] /= _unit;
        }

        _totalPositives /= _unit;
        _totalNegatives /= _unit;
        _unit = 1;
    }
}
