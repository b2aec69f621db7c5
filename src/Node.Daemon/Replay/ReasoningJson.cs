using System.Text.Json;
using Node.Reasoning;
using Node.Reasoning.Findings;
using Node.Reasoning.Indicators;

namespace Node.Daemon.Replay;

/// <summary>Features, findings and conclusions as JSON (replay's lines), with Utf8JsonWriter only (AOT).</summary>
internal static class ReasoningJson
{
    /// <summary>Writes the features object's properties; NaN (warm-up) is null.</summary>
    public static void WriteFeatures(Utf8JsonWriter json, in MarketFeatures f)
    {
        Number(json, "atr14", f.Atr14);
        Number(json, "bb20_upper", f.BbUpper);
        Number(json, "bb20_middle", f.BbMiddle);
        Number(json, "bb20_lower", f.BbLower);
        Number(json, "bb20_bandwidth", f.Bandwidth);
        Number(json, "bandwidth_pct126", f.BandwidthPercentile126);
        Number(json, "obv", f.Obv);
        Number(json, "mfi14", f.Mfi14);
        Number(json, "rsi14", f.Rsi14);
        Number(json, "donchian20_high", f.Donchian20High);
        Number(json, "donchian20_low", f.Donchian20Low);
        Number(json, "donchian55_high", f.Donchian55High);
        Number(json, "donchian55_low", f.Donchian55Low);
        Number(json, "return_z60", f.ReturnZ60);
        Number(json, "volume_pct20", f.VolumePercentile20);
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
