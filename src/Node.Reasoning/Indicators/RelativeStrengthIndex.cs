namespace Node.Reasoning.Indicators;

/// <summary>
/// RSI as TA-Lib's RSI defines it (default compatibility, unstable period 0): the mean gain and mean loss
/// of the first <c>period</c> close-to-close changes, then Wilder's smoothing of each,
/// (previous × (period − 1) + change) / period; RSI = 100 × gain / (gain + loss), 0 when both are 0.
/// From bar index <c>period</c>.
/// </summary>
/// <remarks>
/// TA-Lib gives 0 when gain + loss is within an epsilon of 0 (TA_IS_ZERO: 1e-8 in 0.4, 1e-14 in 0.6);
/// this only when it is exactly 0, so the value does not depend on the price scale. They differ only
/// for a series whose mean moves are below that epsilon.
/// </remarks>
internal sealed class RelativeStrengthIndex(int period)
{
    private double _previousClose;
    private bool _hasPrevious;
    private double _gain;
    private double _loss;
    private int _changes;

    public double Value { get; private set; } = double.NaN;

    public void Update(double close)
    {
        if (_hasPrevious)
        {
            var change = close - _previousClose;
            var gain = change > 0 ? change : 0;
            var loss = change < 0 ? -change : 0;
            if (_changes < period)
            {
                _gain += gain;
                _loss += loss;
                if (++_changes == period)
                {
                    _gain /= period;
                    _loss /= period;
                    Value = Rsi(_gain, _loss);
                }
            }
            else
            {
                _gain = ((_gain * (period - 1)) + gain) / period;
                _loss = ((_loss * (period - 1)) + loss) / period;
                Value = Rsi(_gain, _loss);
            }
        }

        _previousClose = close;
        _hasPrevious = true;
    }

    private static double Rsi(double gain, double loss) => gain + loss == 0 ? 0 : 100.0 * (gain / (gain + loss));
}
