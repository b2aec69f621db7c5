using Node.Reasoning.Incremental;

namespace Node.Reasoning.Reasoners.Internal;

/// <summary>
/// Ordinary least squares of value on time over a sliding window, O(1) per sample: running sums over ring buffers,
/// updated as samples enter and leave. Times and values are taken relative to an origin near the window's centre
/// (unix seconds squared would swamp a slope in rounding), and the sums are rebuilt from the rings once per window
/// so rounding from the add/remove updates cannot accumulate (amortised O(1)).
/// </summary>
/// <remarks>Not thread-safe. No allocation after construction.</remarks>
internal sealed class LinearTrend
{
    private readonly RingBuffer _times;
    private readonly RingBuffer _values;
    private double _t0;
    private double _y0;
    private double _sx;
    private double _sy;
    private double _sxx;
    private double _sxy;
    private double _syy;
    private int _sinceRebuild;

    public LinearTrend(int window)
    {
        _times = new RingBuffer(window);
        _values = new RingBuffer(window);
    }

    public int Count => _times.Count;

    public int Window => _times.Capacity;

    public void Add(double time, double value)
    {
        if (_times.Count == 0)
        {
            _t0 = time;
            _y0 = value;
        }

        var oldTime = _times.Push(time);
        var oldValue = _values.Push(value);
        if (!double.IsNaN(oldTime))
        {
            Accumulate(oldTime - _t0, oldValue - _y0, -1);
        }

        Accumulate(time - _t0, value - _y0, +1);
        if (++_sinceRebuild >= _times.Capacity)
        {
            Rebuild();
        }
    }

    /// <summary>Fits the window: slope (value per second), R² and the fitted value at the newest time.</summary>
    /// <returns>False with fewer than three samples, no spread in time, or no spread in value.</returns>
    public bool TryFit(out double slope, out double rSquared, out double fittedNow)
    {
        slope = rSquared = fittedNow = double.NaN;
        var n = (double)_times.Count;
        if (n < 3)
        {
            return false;
        }

        var mx = _sx / n;
        var my = _sy / n;
        var sxx = _sxx - (n * mx * mx);
        var sxy = _sxy - (n * mx * my);
        var syy = _syy - (n * my * my);
        // A flat series leaves only rounding in syy; 1e-9 is far below any real change of use.
        if (sxx <= 0 || syy <= n * 1e-18)
        {
            return false;
        }

        slope = sxy / sxx;
        rSquared = Math.Clamp(sxy * sxy / (sxx * syy), 0, 1);
        fittedNow = _y0 + my + (slope * (_times[0] - _t0 - mx));
        return true;
    }

    private void Accumulate(double x, double y, int sign)
    {
        _sx += sign * x;
        _sy += sign * y;
        _sxx += sign * x * x;
        _sxy += sign * x * y;
        _syy += sign * y * y;
    }

    private void Rebuild()
    {
        _sinceRebuild = 0;
        var n = _times.Count;
        double tSum = 0, ySum = 0;
        for (var age = 0; age < n; age++)
        {
            tSum += _times[age] - _times[0];
            ySum += _values[age] - _values[0];
        }

        _t0 = _times[0] + (tSum / n);
        _y0 = _values[0] + (ySum / n);
        _sx = _sy = _sxx = _sxy = _syy = 0;
        for (var age = 0; age < n; age++)
        {
            Accumulate(_times[age] - _t0, _values[age] - _y0, +1);
        }
    }
}
