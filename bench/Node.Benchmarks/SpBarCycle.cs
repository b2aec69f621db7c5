using Node.Reasoning.Observations;

namespace Node.Benchmarks;

/// <summary>
/// The S&amp;P 500 bars over and over, each round shifted later by the file's span plus a day, so a subject's
/// bars keep increasing in time for as many observations as a benchmark needs.
/// </summary>
/// <remarks>The seam between rounds is one price jump (2020's level back to 2000's) every 5,105 bars.</remarks>
internal sealed class SpBarCycle
{
    private const long Day = 86_400;
    private readonly Bar[] _bars;
    private readonly long _span;
    private long _shift;
    private int _next;

    public SpBarCycle(Bar[] bars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bars.Length, 2);
        _bars = bars;
        _span = bars[^1].Time - bars[0].Time + Day;
    }

    /// <summary>The next bar, its time after every bar returned before.</summary>
    public Bar Next()
    {
        var bar = _bars[_next] with { Time = _bars[_next].Time + _shift };
        if (++_next == _bars.Length)
        {
            _next = 0;
            _shift += _span;
        }

        return bar;
    }
}
