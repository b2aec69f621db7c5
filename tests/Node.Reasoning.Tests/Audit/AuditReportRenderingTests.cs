using System.Text;
using System.Text.Json;
using Node.Reasoning.Audit;
using static Node.Reasoning.Tests.Audit.AuditSnapshots;

namespace Node.Reasoning.Tests.Audit;

public sealed class AuditReportRenderingTests
{
    private static readonly AuditReport Report =
        (HealthySnapshot() with { QuarantineCount = 5000, CalibrationOutcomes = 10 }).Audit();

    [Fact]
    public void Json_parses_and_holds_the_scores_every_check_the_gaps_and_the_recommendations()
    {
        using var json = JsonDocument.Parse(ToJson(Report));
        var root = json.RootElement;

        Assert.Equal(Now, root.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(22.0 / 23, root.GetProperty("pass_rate").GetDouble(), 12);
        Assert.Equal(Report.Confidence, root.GetProperty("confidence").GetDouble());
        var categories = root.GetProperty("categories").EnumerateArray().ToArray();
        Assert.Equal(6, categories.Length);
        Assert.Equal("performance", categories[4].GetProperty("category").GetString());
        Assert.Equal(1, categories[4].GetProperty("not_applicable").GetInt32());
        Assert.Equal(0.8, categories[5].GetProperty("pass_rate").GetDouble(), 12);
        var checks = root.GetProperty("checks").EnumerateArray().ToArray();
        Assert.Equal(24, checks.Length);
        var quarantine = checks.Single(c => c.GetProperty("id").GetString() == "federation.quarantine");
        Assert.Equal("federation_readiness", quarantine.GetProperty("category").GetString());
        Assert.Equal("fail", quarantine.GetProperty("status").GetString());
        Assert.Contains("5000", quarantine.GetProperty("finding").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, quarantine.GetProperty("recommendation").ValueKind);
        var calibration = checks.Single(c => c.GetProperty("id").GetString() == "performance.calibration");
        Assert.Equal("not_applicable", calibration.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, calibration.GetProperty("recommendation").ValueKind);
        Assert.Equal(["federation.quarantine"], root.GetProperty("gaps").EnumerateArray().Select(g => g.GetString()));
        Assert.Single(root.GetProperty("recommendations").EnumerateArray());
    }

    [Fact]
    public void Json_writes_a_pass_rate_with_nothing_applicable_as_null()
    {
        var report = Report with
        {
            PassRate = null,
            Categories = [new CategoryScore(AuditCategory.Ethics, 5, 0, 0, 5)],
        };

        using var json = JsonDocument.Parse(ToJson(report));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("pass_rate").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("categories")[0].GetProperty("pass_rate").ValueKind);
    }

    [Fact]
    public void The_table_lists_every_check_id_then_a_summary_line_per_category()
    {
        var table = AuditReportTable.Render(Report);

        Assert.All(Report.Checks, c => Assert.Contains(c.Id, table, StringComparison.Ordinal));
        Assert.Contains("performance           2/2 passed   100%  (1 not applicable)", table, StringComparison.Ordinal);
        Assert.Contains("federation_readiness  4/5 passed    80%", table, StringComparison.Ordinal);
        Assert.Contains("overall pass rate 96%", table, StringComparison.Ordinal);
        Assert.Contains("- " + Report.Recommendations[0], table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_aligns_its_columns()
    {
        var lines = AuditReportTable.Render(Report).Split('\n');

        var header = lines[0];
        var statusColumn = header.IndexOf("STATUS", StringComparison.Ordinal);
        var rows = lines.Skip(1).Take(24).ToArray();
        Assert.All(rows, row => Assert.Matches("^(pass|fail|not_applicable) ", row[statusColumn..]));
    }

    private static string ToJson(AuditReport report)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            AuditReportJson.Write(writer, report);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
