using Node.Reasoning.Incremental;

namespace Node.Reasoning.Indicators;

/// <summary>
/// The last <c>window</c> values of a series and where a value ranks among them, by a linear count
/// (O(window), for windows of a few hundred at most).
/// </summary>
internal sealed class PercentileRank(int window)
{
    private readonly RingBuffer _values = new(window);

    public bool IsFull => _values.IsFull;

    public void Add(double value) => _values.Push(value);

    /// <summary>The fraction of the values held that are less than <paramref name="value"/>, in [0, 1].</summary>
    public double FractionBelow(double value)
    {
        var below = 0;
        for (var age = 0; age < _values.Count; age++)
        {
            if (_values[age] < value)
            {
                below++;
            }
        }

        return (double)below / _values.Count;
    }

    /// <summary>The fraction of the values held that are less than or equal to <paramref name="value"/>, in [0, 1].</summary>
    public double FractionAtOrBelow(double value)
    {
        var atOrBelow = 0;
        for (var age = 0; age < _values.Count; age++)
        {
            if (_values[age] <= value)
            {
                atOrBelow++;
            }
        }

        return (double)atOrBelow / _values.Count;
    }
}
