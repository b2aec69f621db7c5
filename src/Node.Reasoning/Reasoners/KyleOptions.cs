namespace Node.Reasoning.Reasoners;

/// <summary>Kyle's rule parameters. The defaults are the documented rules of docs/reasoning.md.</summary>
public sealed class KyleOptions
{
    /// <summary>Bars on each side of a pivot: a pivot high is confirmed this many bars after it. Defaults to 5.</summary>
    public int PivotSpan { get; set; } = 5;

    /// <summary>The volume percentile (among the 20 bars before) a breakout needs to count as confirmed. Defaults to 0.5.</summary>
    public double BreakoutVolumePercentile { get; set; } = 0.5;

    /// <summary>Bandwidth percentile (among the last 126) at or below which the range counts as consolidating. Defaults to 0.05.</summary>
    public double ConsolidationPercentile { get; set; } = 0.05;

    /// <summary>|return z-score| or true range / prior ATR at or above which a move is extreme. Defaults to 3.</summary>
    public double ExtremeMoveThreshold { get; set; } = 3;

    /// <summary>Stop distance in ATRs for the ATR risk figure. Defaults to 2.</summary>
    public double StopAtrs { get; set; } = 2;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (PivotSpan is < 1 or > 20)
        {
            throw new ArgumentException($"Kyle:PivotSpan must be between 1 and 20; was {PivotSpan}.");
        }

        if (BreakoutVolumePercentile is < 0 or > 1 || double.IsNaN(BreakoutVolumePercentile))
        {
            throw new ArgumentException($"Kyle:BreakoutVolumePercentile must be between 0 and 1; was {BreakoutVolumePercentile}.");
        }

        if (ConsolidationPercentile is <= 0 or > 1 || double.IsNaN(ConsolidationPercentile))
        {
            throw new ArgumentException($"Kyle:ConsolidationPercentile must be in (0, 1]; was {ConsolidationPercentile}.");
        }

        if (ExtremeMoveThreshold is <= 0 or > 100 || double.IsNaN(ExtremeMoveThreshold))
        {
            throw new ArgumentException($"Kyle:ExtremeMoveThreshold must be in (0, 100]; was {ExtremeMoveThreshold}.");
        }

        if (StopAtrs is <= 0 or > 20 || double.IsNaN(StopAtrs))
        {
            throw new ArgumentException($"Kyle:StopAtrs must be in (0, 20]; was {StopAtrs}.");
        }
    }
}
