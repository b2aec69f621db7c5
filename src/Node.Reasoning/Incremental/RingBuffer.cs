namespace Node.Reasoning.Incremental;

/// <summary>The last <see cref="Capacity"/> values of a series, oldest dropped first. O(1), no allocation after construction.</summary>
/// <remarks>Not thread-safe.</remarks>
public sealed class RingBuffer
{
    private readonly double[] _items;
    private int _next;

    /// <summary>Makes an empty buffer of <paramref name="capacity"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public RingBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new double[capacity];
    }

    /// <summary>How many values it holds at most.</summary>
    public int Capacity => _items.Length;

    /// <summary>How many values it holds.</summary>
    public int Count { get; private set; }

    /// <summary>Whether it holds <see cref="Capacity"/> values.</summary>
    public bool IsFull => Count == _items.Length;

    /// <summary>The value <paramref name="age"/> places back: 0 is the newest, <c>Count − 1</c> the oldest.</summary>
    public double this[int age]
    {
        get
        {
            if ((uint)age >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(age), age, $"The buffer holds {Count} values.");
            }

            var index = _next - 1 - age;
            return _items[index < 0 ? index + _items.Length : index];
        }
    }

    /// <summary>Adds <paramref name="value"/>; returns the value it pushed out, or NaN while not yet full.</summary>
    public double Push(double value)
    {
        var evicted = IsFull ? _items[_next] : double.NaN;
        _items[_next] = value;
        _next = _next + 1 == _items.Length ? 0 : _next + 1;
        if (Count < _items.Length)
        {
            Count++;
        }

        return evicted;
    }

    /// <summary>Copies the values, oldest first, into <paramref name="destination"/>; returns how many.</summary>
    public int CopyTo(Span<double> destination)
    {
        var start = IsFull ? _next : 0;
        for (var i = 0; i < Count; i++)
        {
            var index = start + i;
            destination[i] = _items[index >= _items.Length ? index - _items.Length : index];
        }

        return Count;
    }
}
