using Node.Reasoning.Reasoners;

namespace Node.Reasoning;

/// <summary>The pipeline's settings (config section <c>Reasoning</c>).</summary>
public sealed class ReasoningOptions
{
    /// <summary>The config section.</summary>
    public const string SectionName = "Reasoning";

    /// <summary>How much of each stage runs. Defaults to moderate.</summary>
    public Depth Depth { get; set; } = Depth.Moderate;

    /// <summary>Subjects followed at most, 1 to 100,000; a new subject past it is refused. Defaults to 1,024.</summary>
    public int MaxSubjects { get; set; } = 1024;

    /// <summary>Cycles between Aletheia's reflections, 10 to 100,000. Defaults to 100.</summary>
    public int ReflectionInterval { get; set; } = 100;

    /// <summary>ID's typicality below which a bar is reported novel, in (0, 0.5). Defaults to 0.01.</summary>
    public double NoveltyLevel { get; set; } = 0.01;

    /// <summary>
    /// Calibrated confidence below which a market conclusion asks for no decision (it is remembered, not acted on),
    /// in [0, 1). Defaults to 0.5: only a claim more likely than not to hold is worth a guardian's attention.
    /// </summary>
    public double DecisionFloor { get; set; } = 0.5;

    /// <summary>Time between samples of the node's own health for Kenny, 1 s to 1 h. Defaults to 10 s.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Kenny's levels and trend settings.</summary>
    public KennyOptions Kenny { get; set; } = new();

    /// <summary>Kyle's rules.</summary>
    public KyleOptions Kyle { get; set; } = new();

    /// <summary>The first setting out of range, as "Reasoning:Key must …; was …", or null when all are valid.</summary>
    public string? Problem()
    {
        if (!Enum.IsDefined(Depth))
        {
            return $"Reasoning:Depth must be shallow, moderate or deep; was {Depth}.";
        }

        if (MaxSubjects is < 1 or > 100_000)
        {
            return $"Reasoning:MaxSubjects must be between 1 and 100000; was {MaxSubjects}.";
        }

        if (ReflectionInterval is < 10 or > 100_000)
        {
            return $"Reasoning:ReflectionInterval must be between 10 and 100000; was {ReflectionInterval}.";
        }

        if (!(NoveltyLevel > 0 && NoveltyLevel < 0.5))
        {
            return $"Reasoning:NoveltyLevel must be between 0 and 0.5 (exclusive); was {NoveltyLevel}.";
        }

        if (!(DecisionFloor >= 0 && DecisionFloor < 1))
        {
            return $"Reasoning:DecisionFloor must be at least 0 and below 1; was {DecisionFloor}.";
        }

        if (HealthInterval < TimeSpan.FromSeconds(1) || HealthInterval > TimeSpan.FromHours(1))
        {
            return $"Reasoning:HealthInterval must be between 00:00:01 and 01:00:00; was {HealthInterval}.";
        }

        if (Kenny.Validate() is { } kenny)
        {
            return kenny;
        }

        try
        {
            Kyle.Validate();
            return null;
        }
        catch (ArgumentException e)
        {
            return "Reasoning:" + e.Message;
        }
    }
}
