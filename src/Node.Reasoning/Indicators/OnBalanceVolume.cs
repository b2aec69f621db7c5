namespace Node.Reasoning.Indicators;

/// <summary>
/// On-balance volume as TA-Lib's OBV defines it: the first bar's volume, then plus the volume of a bar
/// closing higher than the one before, minus that of one closing lower, unchanged on an equal close.
/// </summary>
internal sealed class OnBalanceVolume
{
    private double _previousClose;
    private bool _hasPrevious;

    public double Value { get; private set; } = double.NaN;

    public void Update(double close, double volume)
    {
        if (!_hasPrevious)
        {
            Value = volume;
        }
        else if (close > _previousClose)
        {
            Value += volume;
        }
        else if (close < _previousClose)
        {
            Value -= volume;
        }

        _previousClose = close;
        _hasPrevious = true;
    }
}
