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
    public double FractionBelow(double value)
    {
        var below = 0;
        foreach (var held in _values.AsSpan(0, _count))
        {
            below += held < value ? 1 : 0;
        }

        return (double)below / _count;
    }

    /// <summary>The fraction of the values held that are less than or equal to <paramref name="value"/>, in [0, 1].</summary>
    public double FractionAtOrBelow(double value)
    {
        var atOrBelow = 0;
        foreach (var held in _values.AsSpan(0, _count))
        {
            atOrBelow += held <= value ? 1 : 0;
        }

        return (double)atOrBelow / _count;
    }
}
