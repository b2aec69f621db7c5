namespace Node.Reasoning;

/// <summary>The five stages of the pipeline, in order.</summary>
public enum Stage : byte
{
    /// <summary>Validate and normalise the observation; update incremental state.</summary>
    Perceive,

    /// <summary>The specialist reasoners (Kyle, Kenny, ID) produce findings.</summary>
    Analyze,

    /// <summary>Joey brings memory that corroborates or contradicts.</summary>
    Recall,

    /// <summary>Aletheia checks consistency and calibration.</summary>
    Validate,

    /// <summary>The conclusion, its combined confidence, a decision.</summary>
    Decide,
}
