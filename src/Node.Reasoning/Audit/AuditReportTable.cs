using System.Globalization;
using System.Text;

namespace Node.Reasoning.Audit;

/// <summary>Renders an <see cref="AuditReport"/> as an aligned plain-text table for a terminal.</summary>
/// <remarks>
/// One row per check (category, check id, status, finding), then one summary line per category
/// (passed / applicable and pass rate), then the overall pass rate and confidence, then the recommendations.
/// </remarks>
public static class AuditReportTable
{
    private static readonly string[] Headers = ["CATEGORY", "CHECK", "STATUS", "FINDING"];

    /// <summary>Renders <paramref name="report"/>; lines end with <c>\n</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static string Render(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        var rows = report.Checks
            .Select(c => new[] { AuditReportJson.Name(c.Category), c.Id, AuditReportJson.Name(c.Status), c.Finding })
            .ToArray();
        var widths = new int[3];
        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = rows.Select(r => r[i].Length).Append(Headers[i].Length).Max();
        }

        var text = new StringBuilder();
        AppendRow(text, Headers, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        text.Append('\n');
        var categoryWidth = report.Categories.Max(c => AuditReportJson.Name(c.Category).Length);
        foreach (var c in report.Categories)
        {
            text.Append(AuditReportJson.Name(c.Category).PadRight(categoryWidth))
                .Append(CultureInfo.InvariantCulture, $"  {c.Passed}/{c.Applicable} passed  {Percent(c.PassRate),5}")
                .Append(c.NotApplicable > 0 ? string.Create(CultureInfo.InvariantCulture, $"  ({c.NotApplicable} not applicable)") : "")
                .Append('\n');
        }
        text.Append(CultureInfo.InvariantCulture, $"overall pass rate {Percent(report.PassRate)}, confidence {report.Confidence:0.00}\n");

        foreach (var recommendation in report.Recommendations)
        {
            text.Append("- ").Append(recommendation).Append('\n');
        }
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < widths.Length; i++)
        {
            text.Append(cells[i].PadRight(widths[i])).Append("  ");
        }
        text.Append(cells[^1]).Append('\n');
    }

    private static string Percent(double? rate) =>
        rate is { } r ? r.ToString("0%", CultureInfo.InvariantCulture) : "n/a";
}
