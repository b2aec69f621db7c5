using Node.Reasoning.Incremental;

namespace Node.Reasoning.Reasoners;

/// <summary>
/// Confirmed pivots: bar p is a pivot high when its high is the highest of the 2·span + 1 bars around it
/// (a tie with a later bar disqualifies it, a tie with an earlier one does not), known only
/// <c>span</c> bars later — no look-ahead. Pivot lows likewise with lows.
/// </summary>
/// <remarks>Not thread-safe. O(1) amortised per bar, no allocation after construction.</remarks>
internal sealed class PivotTracker
{
    private readonly int _span;
    private readonly RollingExtreme _highs;
    private readonly RollingExtreme _lows;
    private readonly RingBuffer _high;
    private readonly RingBuffer _low;
    private readonly RingBuffer _close;
    private readonly RingBuffer _obv;

    public PivotTracker(int span)
    {
        _span = span;
        var window = (2 * span) + 1;
        _highs = new RollingExtreme(window, maximum: true);
        _lows = new RollingExtreme(window, maximum: false);
        _high = new RingBuffer(window);
        _low = new RingBuffer(window);
        _close = new RingBuffer(window);
        _obv = new RingBuffer(window);
    }

    /// <summary>The pivot high confirmed at this bar, if any.</summary>
    public Pivot ConfirmedHigh { get; private set; }

    /// <summary>The pivot low confirmed at this bar, if any.</summary>
    public Pivot ConfirmedLow { get; private set; }

    /// <summary>The previous confirmed pivot high (before <see cref="ConfirmedHigh"/>).</summary>
    public Pivot PreviousHigh { get; private set; }

    /// <summary>The previous confirmed pivot low.</summary>
    public Pivot PreviousLow { get; private set; }

    private Pivot _lastHigh;
    private Pivot _lastLow;

    public void Update(long bar, double high, double low, double close, double obv)
    {
        _highs.Add(high);
        _lows.Add(low);
        _high.Push(high);
        _low.Push(low);
        _close.Push(close);
        _obv.Push(obv);
        ConfirmedHigh = default;
        ConfirmedLow = default;
        if (!_highs.IsReady)
        {
            return;
        }

        if (_highs.AgeOfExtreme == _span)
        {
            PreviousHigh = _lastHigh;
            ConfirmedHigh = _lastHigh = new Pivot(true, bar - _span, _high[_span], _close[_span], _close[2 * _span], _obv[_span]);
        }

        if (_lows.AgeOfExtreme == _span)
        {
            PreviousLow = _lastLow;
            ConfirmedLow = _lastLow = new Pivot(true, bar - _span, _low[_span], _close[_span], _close[2 * _span], _obv[_span]);
        }
    }
}

/// <summary>A confirmed pivot: its bar number, its price (high or low), its close, the close span bars before it, and its OBV.</summary>
internal readonly record struct Pivot(bool Exists, long Bar, double Price, double Close, double CloseBefore, double Obv);
