using Node.Reasoning.Incremental;

namespace Node.Reasoning.Indicators;

/// <summary>
/// Money flow index as TA-Lib's MFI defines it: typical price (high + low + close) / 3, raw flow typical
/// price × volume, positive when the typical price rose from the bar before, negative when it fell,
/// neither when equal; MFI = 100 × positive / (positive + negative) over the last <c>period</c> flows,
/// and 0 when that total is below 1 (TA-Lib's guard). From bar index <c>period</c>.
/// </summary>
/// <remarks>The sums are running sums recomputed exactly every <c>period</c> bars (<see cref="RollingSum"/>).</remarks>
internal sealed class MoneyFlowIndex(int period)
{
    private readonly RollingSum _positive = new(period);
    private readonly RollingSum _negative = new(period);
    private double _previousTypical;
    private bool _hasPrevious;

    public double Value { get; private set; } = double.NaN;

    public void Update(double high, double low, double close, double volume)
    {
        var typical = (high + low + close) / 3.0;
        if (_hasPrevious)
        {
            var flow = typical * volume;
            _positive.Add(typical > _previousTypical ? flow : 0);
            _negative.Add(typical < _previousTypical ? flow : 0);
            if (_positive.IsFull)
            {
                var total = _positive.Value + _negative.Value;
                Value = total < 1.0 ? 0 : 100.0 * (_positive.Value / total);
            }
        }

        _previousTypical = typical;
        _hasPrevious = true;
    }
}
