using System.Text.Json;

namespace Node.Reasoning.Audit;

/// <summary>Writes an <see cref="AuditReport"/> as JSON with <see cref="Utf8JsonWriter"/> (no reflection; AOT-safe).</summary>
/// <remarks>
/// Shape: <c>{ "at", "pass_rate", "confidence", "categories": [{ "category", "checks", "passed", "failed",
/// "not_applicable", "pass_rate" }], "checks": [{ "id", "category", "title", "status", "finding",
/// "recommendation" }], "gaps": [check id…], "recommendations": [text…] }</c>. Names are snake_case;
/// statuses are <c>pass</c>, <c>fail</c>, <c>not_applicable</c>; a pass rate with nothing applicable is null.
/// </remarks>
public static class AuditReportJson
{
    /// <summary>Writes <paramref name="report"/> as one JSON object.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(Utf8JsonWriter writer, AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);

        writer.WriteStartObject();
        writer.WriteString("at", report.At);
        WriteRate(writer, "pass_rate", report.PassRate);
        writer.WriteNumber("confidence", report.Confidence);

        writer.WriteStartArray("categories");
        foreach (var c in report.Categories)
        {
            writer.WriteStartObject();
            writer.WriteString("category", Name(c.Category));
            writer.WriteNumber("checks", c.Checks);
            writer.WriteNumber("passed", c.Passed);
            writer.WriteNumber("failed", c.Failed);
            writer.WriteNumber("not_applicable", c.NotApplicable);
            WriteRate(writer, "pass_rate", c.PassRate);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("checks");
        foreach (var check in report.Checks)
        {
            writer.WriteStartObject();
            writer.WriteString("id", check.Id);
            writer.WriteString("category", Name(check.Category));
            writer.WriteString("title", check.Title);
            writer.WriteString("status", Name(check.Status));
            writer.WriteString("finding", check.Finding);
            if (check.Recommendation is null)
            {
                writer.WriteNull("recommendation");
            }
            else
            {
                writer.WriteString("recommendation", check.Recommendation);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("gaps");
        foreach (var gap in report.Gaps)
        {
            writer.WriteStringValue(gap.Id);
        }
        writer.WriteEndArray();

        writer.WriteStartArray("recommendations");
        foreach (var recommendation in report.Recommendations)
        {
            writer.WriteStringValue(recommendation);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteRate(Utf8JsonWriter writer, string name, double? rate)
    {
        if (rate is { } value)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The snake_case name of a category, as in JSON and the table.</summary>
    public static string Name(AuditCategory category) => category switch
    {
        AuditCategory.Ethics => "ethics",
        AuditCategory.DecisionIntegrity => "decision_integrity",
        AuditCategory.AgentCoordination => "agent_coordination",
        AuditCategory.MemoryAndState => "memory_and_state",
        AuditCategory.Performance => "performance",
        AuditCategory.FederationReadiness => "federation_readiness",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown audit category."),
    };

    /// <summary>The snake_case name of a status, as in JSON and the table.</summary>
    public static string Name(AuditStatus status) => status switch
    {
        AuditStatus.Pass => "pass",
        AuditStatus.Fail => "fail",
        AuditStatus.NotApplicable => "not_applicable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown audit status."),
    };
}
