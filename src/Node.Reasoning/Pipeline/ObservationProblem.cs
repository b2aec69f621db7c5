namespace Node.Reasoning.Pipeline;

/// <summary>Why Perceive rejected an observation (nothing else runs on it; it is counted).</summary>
public enum ObservationProblem : byte
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>A value is NaN or infinite.</summary>
    NotFinite,

    /// <summary>A price is zero or negative.</summary>
    NonPositivePrice,

    /// <summary>The high is below the low.</summary>
    HighBelowLow,

    /// <summary>The open or the close lies outside [low, high].</summary>
    OutsideRange,

    /// <summary>The volume is negative.</summary>
    NegativeVolume,

    /// <summary>The time is not after the subject's previous observation.</summary>
    TimeNotIncreasing,

    /// <summary>The engine already follows its maximum number of subjects.</summary>
    TooManySubjects,

    /// <summary>A health figure lies outside its range (fractions in [0, 1], latency ≥ 0).</summary>
    OutOfRange,
}
