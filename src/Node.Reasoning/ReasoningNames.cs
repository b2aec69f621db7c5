using Node.Reasoning.Confidence;
using Node.Reasoning.Findings;
using Node.Reasoning.Pipeline;

namespace Node.Reasoning;

/// <summary>The snake_case names of the pipeline's enums, as JSON, the API and logs show them.</summary>
public static class ReasoningNames
{
    private static readonly string[] Kinds =
    [
        "trend", "breakout_up", "breakout_down", "reversal_bullish", "reversal_bearish", "consolidation", "extreme_move",
        "divergence_bullish", "divergence_bearish", "atr_risk", "resource_pressure", "resource_recovered",
        "exhaustion_forecast", "novelty", "corroboration", "contradiction", "conflict",
    ];

    private static readonly string[] Reasoners = ["kyle", "joey", "kenny", "aletheia", "id"];
    private static readonly string[] Resources = ["none", "cpu", "memory", "disk", "latency"];
    private static readonly string[] Depths = ["shallow", "moderate", "deep"];

    private static readonly string[] Problems =
    [
        "none", "not_finite", "non_positive_price", "high_below_low", "outside_range", "negative_volume",
        "time_not_increasing", "too_many_subjects", "out_of_range",
    ];

    /// <summary>The name of a finding kind, such as <c>breakout_up</c>.</summary>
    public static string Of(FindingKind kind) => Kinds[(int)kind];

    /// <summary>The name of a reasoner, such as <c>kyle</c>.</summary>
    public static string Of(Reasoner reasoner) => Reasoners[(int)reasoner];

    /// <summary>The name of a resource, such as <c>memory</c>.</summary>
    public static string Of(Resource resource) => Resources[(int)resource];

    /// <summary>The name of a depth, such as <c>moderate</c>.</summary>
    public static string Of(Depth depth) => Depths[(int)depth];

    /// <summary>The name of a problem, such as <c>high_below_low</c>.</summary>
    public static string Of(ObservationProblem problem) => Problems[(int)problem];

    /// <summary>The name of a calibration method: <c>identity</c>, <c>platt</c> or <c>isotonic</c>.</summary>
    public static string Of(CalibrationMethod method) => method switch
    {
        CalibrationMethod.Platt => "platt",
        CalibrationMethod.Isotonic => "isotonic",
        _ => "identity",
    };

    /// <summary>All depth names, in order.</summary>
    public static IReadOnlyList<string> DepthNames => Depths;

    /// <summary>Parses a depth name (any case).</summary>
    public static bool TryParseDepth(string? text, out Depth depth)
    {
        var index = Array.FindIndex(Depths, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
        depth = (Depth)Math.Max(0, index);
        return index >= 0;
    }
}
