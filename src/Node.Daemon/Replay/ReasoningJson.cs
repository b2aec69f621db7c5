using System.Text.Json;
using Node.Reasoning;
using Node.Reasoning.Findings;
using Node.Reasoning.Indicators;

namespace Node.Daemon.Replay;

/// <summary>Features, findings and conclusions as JSON (replay's lines), with Utf8JsonWriter only (AOT).</summary>
internal static class ReasoningJson
{
    /// <summary>The names of the features, in the order <see cref="GetFeatures"/> fills them.</summary>
    public static ReadOnlySpan<string> FeatureNames => new[]
    {
        "atr14", "bb20_upper", "bb20_middle", "bb20_lower", "bb20_bandwidth", "bandwidth_pct126", "obv", "mfi14", "rsi14",
        "donchian20_high", "donchian20_low", "donchian55_high", "donchian55_low", "return_z60", "volume_pct20",
    };

    /// <summary>How many features there are.</summary>
    public const int FeatureCount = 15;

    /// <summary>Fills <paramref name="values"/> (at least <see cref="FeatureCount"/> long) in the order of <see cref="FeatureNames"/>; NaN while warming up.</summary>
    public static void GetFeatures(in MarketFeatures f, Span<double> values)
    {
        values[0] = f.Atr14;
        values[1] = f.BbUpper;
        values[2] = f.BbMiddle;
        values[3] = f.BbLower;
        values[4] = f.Bandwidth;
        values[5] = f.BandwidthPercentile126;
        values[6] = f.Obv;
        values[7] = f.Mfi14;
        values[8] = f.Rsi14;
        values[9] = f.Donchian20High;
        values[10] = f.Donchian20Low;
        values[11] = f.Donchian55High;
        values[12] = f.Donchian55Low;
        values[13] = f.ReturnZ60;
        values[14] = f.VolumePercentile20;
    }

    /// <summary>Writes the features object's properties; NaN (warm-up) is null.</summary>
    public static void WriteFeatures(Utf8JsonWriter json, in MarketFeatures f)
    {
        Span<double> values = stackalloc double[FeatureCount];
        GetFeatures(f, values);
        var names = FeatureNames;
        for (var i = 0; i < FeatureCount; i++)
        {
            Number(json, names[i], values[i]);
        }
    }

    /// <summary>Writes a findings array.</summary>
    public static void WriteFindings(Utf8JsonWriter json, ReadOnlySpan<Finding> findings)
    {
        json.WriteStartArray("findings");
        foreach (ref readonly var finding in findings)
        {
            json.WriteStartObject();
            json.WriteString("reasoner", ReasoningNames.Of(finding.Reasoner));
            json.WriteString("kind", ReasoningNames.Of(finding.Kind));
            json.WriteNumber("direction", finding.Direction);
            Number(json, "confidence", finding.Confidence);
            if (finding.Kind == FindingKind.Conflict)
            {
                json.WriteString("between", ReasoningNames.Of((FindingKind)(int)finding.Level));
                json.WriteString("and", ReasoningNames.Of((FindingKind)(int)finding.Evidence));
            }
            else
            {
                Number(json, "level", finding.Level);
                Number(json, "evidence", finding.Evidence);
            }

            if (finding.Resource != Resource.None)
            {
                json.WriteString("resource", ReasoningNames.Of(finding.Resource));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Writes the conclusion object (null when there is no claim).</summary>
    public static void WriteConclusion(Utf8JsonWriter json, in Conclusion conclusion, string? verdict)
    {
        if (!conclusion.HasClaim)
        {
            json.WriteNull("conclusion");
            return;
        }

        json.WriteStartObject("conclusion");
        json.WriteString("claim", ReasoningNames.Of(conclusion.Claim));
        json.WriteNumber("direction", conclusion.Direction);
        Number(json, "confidence", conclusion.Confidence);
        Number(json, "score", conclusion.Score);
        json.WriteStartObject("stages");
        var names = StageConfidences.Names;
        for (var i = 0; i < StageConfidences.Count; i++)
        {
            Number(json, names[i], conclusion.Stages[i]);
        }

        json.WriteEndObject();
        json.WriteBoolean("conflict", conclusion.Conflict);
        if (conclusion.DecisionType is { } type)
        {
            json.WriteStartObject("decision");
            json.WriteString("type", type);
            if (verdict is not null)
            {
                json.WriteString("verdict", verdict);
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("decision");
        }

        json.WriteEndObject();
    }

    public static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
