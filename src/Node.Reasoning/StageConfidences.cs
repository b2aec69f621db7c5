using System.Runtime.CompilerServices;

namespace Node.Reasoning;

/// <summary>
/// The confidences the stages give one conclusion, in the order of <see cref="StageConfidences.Names"/>:
/// perceive (data quality), analyze (the claim's finding), baseline (ID's typicality), recall (Joey)
/// and validate (Aletheia). NaN where a stage abstained.
/// </summary>
[InlineArray(Count)]
public struct StageConfidences
{
    /// <summary>How many confidences it holds.</summary>
    public const int Count = 5;

    /// <summary>Perceive: the observation's data quality.</summary>
    public const int Perceive = 0;

    /// <summary>Analyze: the confidence of the finding the conclusion claims.</summary>
    public const int Analyze = 1;

    /// <summary>Baseline: ID's typicality of the observation.</summary>
    public const int Baseline = 2;

    /// <summary>Recall: Joey's rate at which such claims held.</summary>
    public const int Recall = 3;

    /// <summary>Validate: Aletheia's rate at which claims held with the same consistency.</summary>
    public const int Validate = 4;

    private double _element;

    /// <summary>The names used in JSON and logs, by index.</summary>
    public static ReadOnlySpan<string> Names => new[] { "perceive", "analyze", "baseline", "recall", "validate" };

    /// <summary>All NaN (every stage abstains).</summary>
    public static StageConfidences Abstained
    {
        get
        {
            var value = default(StageConfidences);
            ((Span<double>)value).Fill(double.NaN);
            return value;
        }
    }
}
