namespace Node.Reasoning.Incremental;

/// <summary>
/// The sum of the last <see cref="Window"/> values: a running sum (add the new, subtract the oldest),
/// recomputed exactly from the window every <see cref="Window"/> values so rounding never builds up.
/// Amortised O(1) per value, no allocation after construction.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class RollingSum
{
    private readonly RingBuffer _values;
    private double _sum;
    private int _sinceExact;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is below 1.</exception>
    public RollingSum(int window) => _values = new RingBuffer(window);

    public int Window => _values.Capacity;

    public bool IsFull => _values.IsFull;

    /// <summary>The sum of the values held (fewer than <see cref="Window"/> while filling).</summary>
    public double Value => _sum;

    public void Add(double value)
    {
        var wasFull = _values.IsFull;
        var evicted = _values.Push(value);
        if (++_sinceExact == Window)
        {
            _sinceExact = 0;
            var sum = 0.0;
            for (var age = _values.Count - 1; age >= 0; age--)
            {
                sum += _values[age];
            }

            _sum = sum;
        }
        else
        {
            _sum += wasFull ? value - evicted : value;
        }
    }
}
