namespace Node.Reasoning.Indicators;

/// <summary>
/// True range and ATR as TA-Lib's TRANGE and ATR define them (unstable period 0): the true range from
/// the second bar; the first ATR the simple mean of the first <c>period</c> true ranges; then Wilder's
/// smoothing, (previous × (period − 1) + TR) / period, in TA-Lib's order of operations.
/// </summary>
internal sealed class AverageTrueRange(int period)
{
    private double _previousClose;
    private bool _hasPrevious;
    private double _seedSum;
    private int _ranges;

    /// <summary>This bar's true range; NaN on the first bar.</summary>
    public double TrueRange { get; private set; } = double.NaN;

    /// <summary>This bar's ATR; NaN before bar index <c>period</c>.</summary>
    public double Value { get; private set; } = double.NaN;

    /// <summary>The ATR at the previous bar.</summary>
    public double Previous { get; private set; } = double.NaN;

    public void Update(double high, double low, double close)
    {
        Previous = Value;
        if (_hasPrevious)
        {
            TrueRange = Math.Max(high - low, Math.Max(Math.Abs(high - _previousClose), Math.Abs(low - _previousClose)));
            if (_ranges < period)
            {
                _seedSum += TrueRange;
                if (++_ranges == period)
                {
                    Value = _seedSum / period;
                }
            }
            else
            {
                Value = ((Value * (period - 1)) + TrueRange) / period;
            }
        }

        _previousClose = close;
        _hasPrevious = true;
    }
}
