using Node.Reasoning.Incremental;

namespace Node.Reasoning.Indicators;

/// <summary>
/// The highest high and lowest low of the <c>period</c> bars ending at this one (TA-Lib MAX of high and
/// MIN of low), from bar index period − 1, by monotonic deques: O(1) whatever the period.
/// </summary>
internal sealed class DonchianChannel(int period)
{
    private readonly RollingExtreme _highs = new(period, maximum: true);
    private readonly RollingExtreme _lows = new(period, maximum: false);

    public double High { get; private set; } = double.NaN;

    public double Low { get; private set; } = double.NaN;

    public double PreviousHigh { get; private set; } = double.NaN;

    public double PreviousLow { get; private set; } = double.NaN;

    public void Update(double high, double low)
    {
        PreviousHigh = High;
        PreviousLow = Low;
        _highs.Add(high);
        _lows.Add(low);
        if (_highs.IsReady)
        {
            High = _highs.Value;
            Low = _lows.Value;
        }
    }
}
