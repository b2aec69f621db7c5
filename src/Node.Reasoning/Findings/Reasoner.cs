namespace Node.Reasoning.Findings;

/// <summary>The five reasoners (ARCHITECTURE.md, "Reasoning").</summary>
public enum Reasoner : byte
{
    /// <summary>Market patterns and anomalies.</summary>
    Kyle,

    /// <summary>Memory: earlier conclusions and knowledge packets that corroborate or contradict.</summary>
    Joey,

    /// <summary>The node's own resource and health trends.</summary>
    Kenny,

    /// <summary>Consistency and calibration.</summary>
    Aletheia,

    /// <summary>The baseline model of each subject, and novelty against it.</summary>
    Id,
}
