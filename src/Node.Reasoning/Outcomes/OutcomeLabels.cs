using Node.Reasoning.Findings;
using Node.Reasoning.Indicators;

namespace Node.Reasoning.Outcomes;

/// <summary>
/// The outcome label of each claim, fixed before any outcome is seen (docs/reasoning.md, "Outcome labels").
/// A claim is judged on the bars after it, up to its horizon; some can be settled early.
/// </summary>
public static class OutcomeLabels
{
    /// <summary>Bars after the claim its outcome is judged over, or 0 when the kind makes no claim.</summary>
    public static int Horizon(FindingKind claim) => claim switch
    {
        FindingKind.Trend or FindingKind.BreakoutUp or FindingKind.BreakoutDown or FindingKind.ReversalBullish
            or FindingKind.ReversalBearish or FindingKind.ExtremeMove or FindingKind.DivergenceBullish
            or FindingKind.DivergenceBearish => 10,
        FindingKind.Consolidation => 20,
        _ => 0,
    };

    /// <summary>Starts judging a claim made on the bar <paramref name="features"/> describe.</summary>
    internal static PendingOutcome Start(FindingKind claim, int direction, double level, in MarketFeatures features) => new()
    {
        Claim = claim,
        Direction = direction,
        Level = level,
        CloseAtStart = features.Close,
        AtrAtStart = features.PrevAtr14,
        Horizon = Horizon(claim),
    };

    /// <summary>Judges one more bar; returns null while undecided, else whether the claim held.</summary>
    internal static bool? Step(ref PendingOutcome pending, in MarketFeatures f)
    {
        pending.Age++;
        var last = pending.Age >= pending.Horizon;
        switch (pending.Claim)
        {
            case FindingKind.Trend:
            case FindingKind.DivergenceBullish:
            case FindingKind.DivergenceBearish:
                // The close at the horizon lies on the claimed side of the close at the claim.
                return last ? pending.Direction * (f.Close - pending.CloseAtStart) > 0 : null;
            case FindingKind.BreakoutUp:
            case FindingKind.BreakoutDown:
                // Every close up to the horizon stays beyond the breakout level.
                return pending.Direction * (f.Close - pending.Level) <= 0 ? false : last ? true : null;
            case FindingKind.ReversalBearish:
                // No high up to the horizon exceeds the pivot high.
                return f.High > pending.Level ? false : last ? true : null;
            case FindingKind.ReversalBullish:
                // No low up to the horizon undercuts the pivot low.
                return f.Low < pending.Level ? false : last ? true : null;
            case FindingKind.Consolidation:
                // A close outside the Bollinger bands up to the horizon: the range broke.
                return f.Close > f.BbUpper || f.Close < f.BbLower ? true : last ? false : null;
            case FindingKind.ExtremeMove:
                // Volatility persists: the mean true range up to the horizon exceeds the ATR before the move.
                pending.Accumulated += f.TrueRange;
                return last ? pending.Accumulated / pending.Age > pending.AtrAtStart : null;
            default:
                return false;
        }
    }
}

/// <summary>A claim waiting for its outcome, with what it was concluded with.</summary>
internal struct PendingOutcome
{
    public FindingKind Claim;
    public int Direction;
    public double Level;
    public double CloseAtStart;
    public double AtrAtStart;
    public int Horizon;
    public int Age;
    public double Accumulated;
    public StageConfidences Stages;
    public double Score;
    public double Confidence;
    public bool Conflict;
}
