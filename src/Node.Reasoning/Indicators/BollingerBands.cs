using Node.Reasoning.Incremental;

namespace Node.Reasoning.Indicators;

/// <summary>
/// Bollinger bands as TA-Lib's BBANDS defines them with an SMA middle: SMA(period) of the close ±
/// <c>deviations</c> population standard deviations of the same closes; from bar index period − 1.
/// </summary>
/// <remarks>
/// TA-Lib takes the variance as E[x²] − E[x]² from running sums; this takes it from a sliding Welford
/// update with a periodic exact recompute (<see cref="RollingMoments"/>), which agrees with the two-pass
/// variance to rounding and does not cancel catastrophically. TA-Lib also takes a variance within its
/// epsilon of 0 (TA_IS_ZERO_OR_NEG) as 0; this takes it as it is.
/// </remarks>
internal sealed class BollingerBands(int period, double deviations)
{
    private readonly RollingMoments _closes = new(period);

    public double Upper { get; private set; } = double.NaN;

    public double Middle { get; private set; } = double.NaN;

    public double Lower { get; private set; } = double.NaN;

    /// <summary>(upper − lower) / middle.</summary>
    public double Bandwidth { get; private set; } = double.NaN;

    public void Update(double close)
    {
        _closes.Add(close);
        if (!_closes.IsFull)
        {
            return;
        }

        Middle = _closes.Mean;
        var width = deviations * Math.Sqrt(_closes.PopulationVariance);
        Upper = Middle + width;
        Lower = Middle - width;
        Bandwidth = (Upper - Lower) / Middle;
    }
}
