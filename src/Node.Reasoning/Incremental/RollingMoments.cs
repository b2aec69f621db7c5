namespace Node.Reasoning.Incremental;

/// <summary>
/// Mean and variance of the last <see cref="Window"/> values. Each value replacing the oldest updates
/// the mean and the sum of squared deviations by Welford's sliding-window step (B. P. Welford, 1962;
/// the replace form: M2 += (new − old)(new − mean' + old − mean)); every <see cref="Window"/> values
/// both are recomputed exactly, two-pass, from the window, so rounding never builds up.
/// Amortised O(1) per value, no allocation after construction.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class RollingMoments
{
    private readonly RingBuffer _values;
    private double _mean;
    private double _m2;
    private int _sinceExact;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is below 1.</exception>
    public RollingMoments(int window) => _values = new RingBuffer(window);

    public int Window => _values.Capacity;

    public int Count => _values.Count;

    public bool IsFull => _values.IsFull;

    /// <summary>The mean of the window; NaN when empty.</summary>
    public double Mean => Count > 0 ? _mean : double.NaN;

    /// <summary>The population variance (divided by n); NaN when empty.</summary>
    public double PopulationVariance => Count > 0 ? _m2 / Count : double.NaN;

    /// <summary>The sample variance (divided by n − 1); NaN with fewer than two values.</summary>
    public double SampleVariance => Count > 1 ? _m2 / (Count - 1) : double.NaN;

    public void Add(double value)
    {
        var wasFull = _values.IsFull;
        var evicted = _values.Push(value);
        if (++_sinceExact == Window)
        {
            _sinceExact = 0;
            Recompute();
        }
        else if (wasFull)
        {
            var previousMean = _mean;
            _mean += (value - evicted) / Window;
            _m2 = Math.Max(0, _m2 + ((value - evicted) * (value - _mean + evicted - previousMean)));
        }
        else
        {
            var delta = value - _mean;
            _mean += delta / Count;
            _m2 += delta * (value - _mean);
        }
    }

    private void Recompute()
    {
        var sum = 0.0;
        for (var age = Count - 1; age >= 0; age--)
        {
            sum += _values[age];
        }

        _mean = sum / Count;
        var m2 = 0.0;
        for (var age = Count - 1; age >= 0; age--)
        {
            var deviation = _values[age] - _mean;
            m2 += deviation * deviation;
        }

        _m2 = m2;
    }
}
