namespace Node.Reasoning.Findings;

/// <summary>What a finding says. Each kind's rule and outcome label are in docs/reasoning.md.</summary>
public enum FindingKind : byte
{
    /// <summary>Kyle: the close's side of its 20-bar mean; the claim a conclusion makes when no pattern fires.</summary>
    Trend,

    /// <summary>Kyle: close above the previous bar's Donchian(20) high, volume-confirmed.</summary>
    BreakoutUp,

    /// <summary>Kyle: close below the previous bar's Donchian(20) low, volume-confirmed.</summary>
    BreakoutDown,

    /// <summary>Kyle: a pivot low confirmed, after a decline into it.</summary>
    ReversalBullish,

    /// <summary>Kyle: a pivot high confirmed, after a rise into it.</summary>
    ReversalBearish,

    /// <summary>Kyle: Bollinger bandwidth at its 126-bar low.</summary>
    Consolidation,

    /// <summary>Kyle: a return far outside its recent distribution, or a true range far beyond the prior ATR.</summary>
    ExtremeMove,

    /// <summary>Kyle: price makes a lower pivot low while OBV makes a higher one.</summary>
    DivergenceBullish,

    /// <summary>Kyle: price makes a higher pivot high while OBV makes a lower one.</summary>
    DivergenceBearish,

    /// <summary>Kyle: the ATR-based risk of a position (stop distance as a fraction of price).</summary>
    AtrRisk,

    /// <summary>Kenny: a resource under sustained pressure (entered with hysteresis).</summary>
    ResourcePressure,

    /// <summary>Kenny: a resource left pressure (fell below the exit level).</summary>
    ResourceRecovered,

    /// <summary>Kenny: at the current trend a resource runs out within the horizon.</summary>
    ExhaustionForecast,

    /// <summary>ID: the observation lies far from the subject's baseline.</summary>
    Novelty,

    /// <summary>Joey: memory holds earlier conclusions or packets that agree.</summary>
    Corroboration,

    /// <summary>Joey: memory holds earlier conclusions or packets that disagree.</summary>
    Contradiction,

    /// <summary>Aletheia: two findings on one observation contradict each other.</summary>
    Conflict,
}
