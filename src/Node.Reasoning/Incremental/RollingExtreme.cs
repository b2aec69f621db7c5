namespace Node.Reasoning.Incremental;

/// <summary>
/// The maximum (or minimum) of the last <see cref="Window"/> values by a monotonic deque:
/// amortised O(1) per value whatever the window's length, no allocation after construction.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
public sealed class RollingExtreme
{
    private readonly double[] _values;
    private readonly long[] _positions;
    private readonly bool _maximum;
    private int _head;
    private int _count;
    private long _position;

    /// <summary>Makes a rolling maximum (<paramref name="maximum"/>) or minimum over <paramref name="window"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is below 1.</exception>
    public RollingExtreme(int window, bool maximum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Window = window;
        _maximum = maximum;
        // One more than the window: the new value is in before the one it pushes out is dropped.
        _values = new double[window + 1];
        _positions = new long[window + 1];
    }

    /// <summary>How many values the extreme is taken over.</summary>
    public int Window { get; }

    /// <summary>How many values were added in all.</summary>
    public long Added => _position;

    /// <summary>Whether a whole window of values has been added.</summary>
    public bool IsReady => _position >= Window;

    /// <summary>The extreme of the last <see cref="Window"/> values (fewer while filling); NaN with none.</summary>
    public double Value => _count > 0 ? _values[_head] : double.NaN;

    /// <summary>How many values back the extreme lies: 0 when it is the newest.</summary>
    public int AgeOfExtreme => _count > 0 ? (int)(_position - 1 - _positions[_head]) : -1;

    /// <summary>Adds one value.</summary>
    public void Add(double value)
    {
        // Drop from the back every value the new one dominates (ties too: the newer one outlives it).
        while (_count > 0)
        {
            var back = Index(_count - 1);
            if (_maximum ? _values[back] > value : _values[back] < value)
            {
                break;
            }

            _count--;
        }

        var slot = Index(_count);
        _values[slot] = value;
        _positions[slot] = _position;
        _count++;
        _position++;

        // Drop from the front the extreme that fell out of the window.
        if (_positions[_head] <= _position - 1 - Window)
        {
            _head = _head + 1 == _values.Length ? 0 : _head + 1;
            _count--;
        }
    }

    private int Index(int offset)
    {
        var index = _head + offset;
        return index >= _values.Length ? index - _values.Length : index;
    }
}
