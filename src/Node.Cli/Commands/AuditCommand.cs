using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary>
/// <c>nodectl audit</c>: the node's self-audit (24 checks over its live state). Exit code 0 when every
/// applicable check passes (checks not applicable yet do not count), 1 when any check fails.
/// </summary>
internal static class AuditCommand
{
    private const string Fail = "fail";

    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("audit",
            "The node's self-audit: ethics, decision integrity, agent coordination, memory and state, performance, federation readiness. " +
            "Exits 0 when every applicable check passes, 1 when any fails.");
        command.Action = new ApiAction(globals, console, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ApiCall call)
    {
        var client = new ReasoningService.ReasoningServiceClient(call.Channel);
        var report = await client.AuditAsync(new AuditRequest(), call.Request()).ConfigureAwait(false);
        await (call.Json ? call.WriteJsonAsync(writer => Write(writer, report)) : call.WriteAsync(Render(report))).ConfigureAwait(false);
        return ExitCode(report);
    }

    /// <summary><see cref="NodeCtl.Ok"/> when no check failed (not-applicable ones do not count), else <see cref="NodeCtl.Error"/>.</summary>
    internal static int ExitCode(AuditReport report) => report.Checks.Any(c => c.Status == Fail) ? NodeCtl.Error : NodeCtl.Ok;

    /// <summary>The report as a table of checks, a line per category, the overall figures and the recommendations.</summary>
    internal static string Render(AuditReport report)
    {
        var table = new TextTable("CATEGORY", "CHECK", "STATUS", "FINDING");
        foreach (var check in report.Checks)
        {
            table.Add(check.Category, check.Id, check.Status, check.Finding);
        }

        var text = new StringBuilder(table.Render("no checks")).Append('\n');
        var width = report.Categories.Select(c => c.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var c in report.Categories)
        {
            var applicable = c.Passed + c.Failed;
            text.Append(CultureInfo.InvariantCulture, $"{c.Name.PadRight(width)}  {c.Passed}/{applicable} passed  {Percent(c.PassRate, applicable),4}");
            if (c.NotApplicable > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"  ({c.NotApplicable} not applicable)");
            }

            text.Append('\n');
        }

        var overall = report.Categories.Sum(c => c.Passed + c.Failed);
        text.Append(CultureInfo.InvariantCulture, $"overall pass rate {Percent(report.PassRate, overall)}, confidence {report.Confidence:0.00}\n");
        if (report.Recommendations.Count > 0)
        {
            text.Append("\nrecommendations:\n");
            foreach (var recommendation in report.Recommendations)
            {
                text.Append("- ").Append(Display.OneLine(recommendation)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The report's members: passRate (null with nothing applicable), confidence, categories, checks, recommendations.</summary>
    internal static void Write(Utf8JsonWriter writer, AuditReport report)
    {
        var overall = report.Categories.Sum(c => c.Passed + c.Failed);
        Rate(writer, "passRate", report.PassRate, overall);
        writer.WriteNumber("confidence", report.Confidence);
        writer.WriteStartArray("categories");
        foreach (var c in report.Categories)
        {
            writer.WriteStartObject();
            writer.WriteString("name", c.Name);
            writer.WriteNumber("passed", c.Passed);
            writer.WriteNumber("failed", c.Failed);
            writer.WriteNumber("notApplicable", c.NotApplicable);
            Rate(writer, "passRate", c.PassRate, c.Passed + c.Failed);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("checks");
        foreach (var check in report.Checks)
        {
            writer.WriteStartObject();
            writer.WriteString("id", check.Id);
            writer.WriteString("category", check.Category);
            writer.WriteString("title", check.Title);
            writer.WriteString("status", check.Status);
            writer.WriteString("finding", check.Finding);
            if (check.Recommendation.Length > 0)
            {
                writer.WriteString("recommendation", check.Recommendation);
            }
            else
            {
                writer.WriteNull("recommendation");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("recommendations");
        foreach (var recommendation in report.Recommendations)
        {
            writer.WriteStringValue(recommendation);
        }

        writer.WriteEndArray();
    }

    // The API sends 0 for "nothing applicable"; say n/a (null) rather than 0 %.
    private static string Percent(double rate, int applicable) =>
        applicable == 0 ? "n/a" : rate.ToString("0%", CultureInfo.InvariantCulture);

    private static void Rate(Utf8JsonWriter writer, string name, double rate, int applicable)
    {
        if (applicable == 0)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteNumber(name, rate);
        }
    }
}
