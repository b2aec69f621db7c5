// Isotonic regression by pool-adjacent-violators (Ayer, Brunk, Ewing, Reid & Silverman 1955; Barlow, Bartholomew,
// Bremner & Brunk, "Statistical Inference under Order Restrictions", 1972, 1.2) as a calibrator
// (Zadrozny & Elkan, "Transforming classifier scores into accurate multiclass probability estimates", KDD 2002,
// section 3), with linear interpolation between block centres and Laplace-smoothed block rates.
namespace Node.Reasoning.Confidence;

/// <summary>
/// Isotonic calibration: a non-decreasing map from pooled score z to probability, fitted by pool-adjacent-violators
/// over the (z, outcome) pairs sorted by z. Each block's rate is Laplace-smoothed ((positives + 1) / (count + 2)) so no
/// prediction is exactly 0 or 1, monotonicity is restored over the smoothed rates, and at most
/// <see cref="MaxBreakpoints"/> blocks are kept (adjacent blocks are merged pairwise beyond that).
/// Prediction interpolates linearly between block centres (the mean z of each block) and is flat beyond the end ones.
/// Until fitted it is the identity map σ(z).
/// </summary>
/// <remarks>Fit sorts in preallocated buffers: allocation-free after construction. Not thread-safe.</remarks>
public sealed class IsotonicCalibration
{
    /// <summary>The default bound on breakpoints, 256.</summary>
    public const int DefaultMaxBreakpoints = 256;

    private readonly double[] _keys;
    private readonly double[] _values;
    private readonly double[] _sumY;   // raw PAV blocks: positives, count, Σz
    private readonly double[] _count;
    private readonly double[] _sumZ;
    private readonly double[] _x;      // breakpoints
    private readonly double[] _y;
    private readonly double[] _w;

    /// <summary>Makes a calibrator that fits up to <paramref name="capacity"/> pairs and keeps up to <paramref name="maxBreakpoints"/> breakpoints.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> or <paramref name="maxBreakpoints"/> is below 1.</exception>
    public IsotonicCalibration(int capacity = 4096, int maxBreakpoints = DefaultMaxBreakpoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBreakpoints, 1);
        _keys = new double[capacity];
        _values = new double[capacity];
        _sumY = new double[capacity];
        _count = new double[capacity];
        _sumZ = new double[capacity];
        _x = new double[maxBreakpoints];
        _y = new double[maxBreakpoints];
        _w = new double[capacity];
    }

    /// <summary>How many pairs a fit takes at most.</summary>
    public int Capacity => _keys.Length;

    /// <summary>How many breakpoints it keeps at most.</summary>
    public int MaxBreakpoints => _x.Length;

    /// <summary>Whether a fit or <see cref="SetBreakpoints"/> has set breakpoints.</summary>
    public bool IsFitted => BreakpointCount > 0;

    /// <summary>How many breakpoints it has; 0 until fitted.</summary>
    public int BreakpointCount { get; private set; }

    /// <summary>The breakpoint scores (block centres), strictly increasing.</summary>
    public ReadOnlySpan<double> BreakpointScores => _x.AsSpan(0, BreakpointCount);

    /// <summary>The breakpoint probabilities, non-decreasing, strictly inside (0, 1) after a fit.</summary>
    public ReadOnlySpan<double> BreakpointProbabilities => _y.AsSpan(0, BreakpointCount);

    /// <summary>How many blocks plain PAV gave in the last fit, before smoothing and merging.</summary>
    internal int RawBlockCount { get; private set; }

    /// <summary>The unsmoothed positive rate of raw block <paramref name="block"/> of the last fit.</summary>
    internal double RawBlockRate(int block) => _sumY[block] / _count[block];

    /// <summary>The number of pairs in raw block <paramref name="block"/> of the last fit.</summary>
    internal int RawBlockSize(int block) => (int)_count[block];

    /// <summary>
    /// The calibrated probability of score <paramref name="z"/>: linear between the two breakpoints around it, the end
    /// breakpoint's probability beyond the ends, σ(z) when unfitted. NaN gives NaN.
    /// </summary>
    public double Calibrate(double z)
    {
        var n = BreakpointCount;
        if (n == 0 || double.IsNaN(z))
        {
            return LogOddsPool.Sigmoid(z);
        }

        if (z <= _x[0])
        {
            return _y[0];
        }

        if (z >= _x[n - 1])
        {
            return _y[n - 1];
        }

        int lo = 0, hi = n - 1; // _x[lo] < z < _x[hi]
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >>> 1;
            if (_x[mid] <= z)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        var t = (z - _x[lo]) / (_x[hi] - _x[lo]);
        return _y[lo] + t * (_y[hi] - _y[lo]);
    }

    /// <summary>
    /// Fits the map to the pairs (<paramref name="scores"/>[i], <paramref name="outcomes"/>[i]). Returns false and
    /// changes nothing when there are no pairs or a score is not finite.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or hold more than <see cref="Capacity"/> pairs.</exception>
    public bool Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes)
    {
        if (scores.Length != outcomes.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {outcomes.Length} outcomes.", nameof(outcomes));
        }

        if (scores.Length > Capacity)
        {
            throw new ArgumentException($"At most {Capacity} pairs; got {scores.Length}.", nameof(scores));
        }

        var n = scores.Length;
        if (n == 0)
        {
            return false;
        }

        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                return false;
            }

            _keys[i] = scores[i];
            _values[i] = outcomes[i] ? 1 : 0;
        }

        _keys.AsSpan(0, n).Sort(_values.AsSpan(0, n));

        // Pairs with equal scores are one point, so the result does not depend on how the sort ordered them.
        var blocks = 0;
        for (var i = 0; i < n;)
        {
            (_sumY[blocks], _count[blocks], _sumZ[blocks]) = (0, 0, 0);
            var key = _keys[i];
            for (; i < n && _keys[i] == key; i++)
            {
                _sumY[blocks] += _values[i];
                _count[blocks] += 1;
                _sumZ[blocks] += key;
            }

            blocks = Merge(_sumY, _count, _sumZ, blocks + 1);
        }

        RawBlockCount = blocks;

        // Laplace-smoothed rates can fall out of order (0/1 → 1/3 before 1/10 → 1/6): pool them again, weighted by count.
        var smoothed = 0;
        for (var b = 0; b < blocks; b++)
        {
            var rate = (_sumY[b] + 1) / (_count[b] + 2);
            (_values[smoothed], _w[smoothed], _keys[smoothed]) = (rate * _count[b], _count[b], _sumZ[b]);
            smoothed = Merge(_values, _w, _keys, smoothed + 1);
        }

        // Beyond the bound, merge neighbours pairwise; a weighted mean of two neighbours keeps the order.
        while (smoothed > MaxBreakpoints)
        {
            var kept = 0;
            for (var b = 0; b < smoothed; b += 2)
            {
                (_values[kept], _w[kept], _keys[kept]) = (_values[b], _w[b], _keys[b]);
                if (b + 1 < smoothed)
                {
                    _values[kept] += _values[b + 1];
                    _w[kept] += _w[b + 1];
                    _keys[kept] += _keys[b + 1];
                }

                kept++;
            }

            smoothed = kept;
        }

        for (var b = 0; b < smoothed; b++)
        {
            _x[b] = _keys[b] / _w[b];
            _y[b] = _values[b] / _w[b];
        }

        BreakpointCount = smoothed;
        return true;
    }

    /// <summary>Sets the breakpoints, e.g. from a stored <see cref="OnlineCalibrationState"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The spans differ in length, hold more than <see cref="MaxBreakpoints"/> values, the scores are not finite and
    /// strictly increasing, or the probabilities are not non-decreasing within [0, 1].
    /// </exception>
    public void SetBreakpoints(ReadOnlySpan<double> scores, ReadOnlySpan<double> probabilities)
    {
        if (scores.Length != probabilities.Length || scores.Length > MaxBreakpoints)
        {
            throw new ArgumentException($"Expected equally many scores and probabilities, at most {MaxBreakpoints}; got {scores.Length} and {probabilities.Length}.");
        }

        if (ValidateBreakpoints(scores, probabilities) is { } error)
        {
            throw new ArgumentException(error, nameof(scores));
        }

        scores.CopyTo(_x);
        probabilities.CopyTo(_y);
        BreakpointCount = scores.Length;
    }

    /// <summary>Back to the identity map, unfitted.</summary>
    public void Reset()
    {
        BreakpointCount = 0;
        RawBlockCount = 0;
    }

    /// <summary>Null when the breakpoints are usable; otherwise what is wrong with them.</summary>
    internal static string? ValidateBreakpoints(ReadOnlySpan<double> scores, ReadOnlySpan<double> probabilities)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]) || (i > 0 && !(scores[i] > scores[i - 1])))
            {
                return $"isotonic breakpoint score {i} ({scores[i]}) is not finite and above the one before.";
            }

            if (!(probabilities[i] >= 0 && probabilities[i] <= 1) || (i > 0 && probabilities[i] < probabilities[i - 1]))
            {
                return $"isotonic breakpoint probability {i} ({probabilities[i]}) is not within [0, 1] and at least the one before.";
            }
        }

        return null;
    }

    /// <summary>Pools the newest block (index <paramref name="count"/> − 1) with its predecessors while they are not below it; returns the block count.</summary>
    internal static int Merge(double[] sum, double[] weight, double[] sumZ, int count)
    {
        // rate(a) ≥ rate(b) as sum_a · w_b ≥ sum_b · w_a: no division, weights are positive.
        while (count > 1 && sum[count - 2] * weight[count - 1] >= sum[count - 1] * weight[count - 2])
        {
            sum[count - 2] += sum[count - 1];
            weight[count - 2] += weight[count - 1];
            sumZ[count - 2] += sumZ[count - 1];
            count--;
        }

        return count;
    }
}
