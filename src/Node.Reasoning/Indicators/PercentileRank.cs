using System.Numerics;

namespace Node.Reasoning.Indicators;

/// <summary>
/// The last <c>window</c> values of a series and where a value ranks among them, by a linear count over
/// the values as stored (a count needs no order): O(window), for windows of a few hundred at most.
/// </summary>
internal sealed class PercentileRank(int window)
{
    private readonly double[] _values = new double[window];
    private int _next;
    private int _count;

    public bool IsFull => _count == _values.Length;

    public void Add(double value)
    {
        _values[_next] = value;
        _next = _next + 1 == _values.Length ? 0 : _next + 1;
        _count = Math.Min(_count + 1, _values.Length);
    }

    /// <summary>The fraction of the values held that are less than <paramref name="value"/>, in [0, 1].</summary>
    public double FractionBelow(double value) => (double)Count(_values.AsSpan(0, _count), value, orEqual: false) / _count;

    /// <summary>The fraction of the values held that are less than or equal to <paramref name="value"/>, in [0, 1].</summary>
    public double FractionAtOrBelow(double value) => (double)Count(_values.AsSpan(0, _count), value, orEqual: true) / _count;

    // How many values are below (or at) the value: SIMD compares, each true lane is −1, subtracted from the tally.
    private static long Count(ReadOnlySpan<double> values, double value, bool orEqual)
    {
        var tally = Vector<long>.Zero;
        var bound = new Vector<double>(value);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var held = new Vector<double>(values[i..]);
                tally -= orEqual ? Vector.LessThanOrEqual(held, bound) : Vector.LessThan(held, bound);
            }
        }

        var count = Vector.Sum(tally);
        for (; i < values.Length; i++)
        {
            count += (orEqual ? values[i] <= value : values[i] < value) ? 1 : 0;
        }

        return count;
    }
}
