using Node.Reasoning.Observations;

namespace Node.Reasoning.Pipeline;

/// <summary>Perceive's checks of a bar (OHLC consistency, time order) and its data-quality figure.</summary>
internal static class Perception
{
    public static ObservationProblem Check(in Bar bar, long previousTime)
    {
        if (!double.IsFinite(bar.Open) || !double.IsFinite(bar.High) || !double.IsFinite(bar.Low) || !double.IsFinite(bar.Close)
            || !double.IsFinite(bar.Volume))
        {
            return ObservationProblem.NotFinite;
        }

        if (bar.Low <= 0 || bar.Open <= 0 || bar.Close <= 0)
        {
            return ObservationProblem.NonPositivePrice;
        }

        if (bar.High < bar.Low)
        {
            return ObservationProblem.HighBelowLow;
        }

        if (bar.Open > bar.High || bar.Open < bar.Low || bar.Close > bar.High || bar.Close < bar.Low)
        {
            return ObservationProblem.OutsideRange;
        }

        if (bar.Volume < 0)
        {
            return ObservationProblem.NegativeVolume;
        }

        return bar.Time <= previousTime ? ObservationProblem.TimeNotIncreasing : ObservationProblem.None;
    }

    /// <summary>
    /// Data quality: the Laplace-smoothed share of three checks passed — a non-zero volume, no gap (the time since
    /// the previous bar at most 4 times its running typical spacing), and the indicators warmed up:
    /// (passed + 1) / (3 + 2).
    /// </summary>
    public static double Quality(bool hasVolume, bool noGap, bool warm) =>
        ((hasVolume ? 1 : 0) + (noGap ? 1 : 0) + (warm ? 1 : 0) + 1) / 5.0;
}
