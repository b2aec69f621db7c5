using Node.Cli.Tests.Fakes;
using Node.Cli.Tests.Support;
using Node.Protocol.Api;

namespace Node.Cli.Tests;

public sealed class ReasonCommandTests
{
    private const string Csv =
        """
        date,open,high,low,close,adjclose,volume
        2000-01-03,1469.25,1478,1438.359985,1455.219971,1455.219971,931800000
        2000-01-04,1455.219971,1455.219971,1397.430054,1399.420044,1399.420044,1009000000
        2000-01-05,1399.420044,1413.27002,1377.680054,1402.109985,1402.109985,1085500000
        2000-01-06,1402.109985,1411.900024,1392.099976,1403.449951,1403.449951,1092300000
        2000-01-07,1403.449951,1441.469971,1400.72998,1441.469971,1441.469971,1225200000
        2000-01-10,1441.469971,1464.359985,1441.469971,1457.599976,1457.599976,1064800000

        """;

    [Fact]
    public async Task Observe_streams_every_bar_and_prints_one_line_per_conclusion()
    {
        await using var node = await FakeNode.StartAsync();
        using var dir = new TempDirectory();
        var file = dir.Write("sp500.csv", System.Text.Encoding.UTF8.GetBytes(Csv));

        var run = await node.Run("observe", "--csv", file);

        Assert.Equal(0, run.Code);
        Assert.Equal("", run.Error);
        var sent = node.Reasoning.Observed.All;
        Assert.Equal(6, sent.Count);
        Assert.All(sent, r => Assert.Equal("sp500", r.Subject));
        Assert.Equal(946857600, sent[0].Bar.Time);
        Assert.Equal((1469.25, 1478, 1438.359985, 1455.219971, 931800000), (sent[0].Bar.Open, sent[0].Bar.High, sent[0].Bar.Low, sent[0].Bar.Close, sent[0].Bar.Volume));
        Assert.Equal(
            """
            2000-01-05  breakout_up         +1  0.750  publish auto_approved dec-3
            2000-01-10  breakout_up         +1  0.750  publish auto_approved dec-6

            """, run.Output);
    }

    [Fact]
    public async Task Observe_json_is_one_line_per_bar_under_the_subject_given()
    {
        await using var node = await FakeNode.StartAsync();
        using var dir = new TempDirectory();
        var file = dir.Write("bars.csv", System.Text.Encoding.UTF8.GetBytes(Csv));

        var lines = (await node.Run("observe", "--csv", file, "--subject", "spx", "--json")).JsonLines();

        Assert.Equal(6, lines.Count);
        Assert.All(lines, l => Assert.Equal("spx", l.GetProperty("subject").GetString()));
        Assert.Equal("2000-01-03", lines[0].GetProperty("date").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, lines[0].GetProperty("conclusion").ValueKind);
        var third = lines[2];
        Assert.Equal(12.5, third.GetProperty("features").GetProperty("atr14").GetDouble());
        Assert.Equal("kyle", third.GetProperty("findings")[0].GetProperty("reasoner").GetString());
        Assert.Equal(("breakout_up", 0.75, "publish"), (third.GetProperty("conclusion").GetProperty("claim").GetString(),
            third.GetProperty("conclusion").GetProperty("confidence").GetDouble(), third.GetProperty("conclusion").GetProperty("decisionType").GetString()));
        Assert.Equal(("dec-3", "auto_approved"), (third.GetProperty("decisionId").GetString(), third.GetProperty("verdict").GetString()));
    }

    [Fact]
    public async Task Observe_reports_malformed_lines_and_rejected_bars_by_number_skips_them_and_exits_1()
    {
        await using var node = await FakeNode.StartAsync();
        using var dir = new TempDirectory();
        var lines = Csv.Split('\n').ToList();
        lines.Insert(2, "2000-01-03,1,2");
        lines[4] = "2000-01-05,10,9,11,10,10,100"; // high below low: the node rejects it
        var file = dir.Write("bad.csv", System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines)));

        var run = await node.Run("observe", "--csv", file);

        Assert.Equal(1, run.Code);
        Assert.Equal(6, node.Reasoning.Observed.All.Count);
        Assert.Equal(
            $"""
            nodectl: {file}:3: expected 6 or 7 columns (date,open,high,low,close[,adjclose],volume), found 3; line skipped
            nodectl: {file}:5: the node rejected the bar of 2000-01-05: high_below_low

            """, run.Error);
    }

    [Fact]
    public async Task Observe_of_a_file_that_cannot_be_read_is_exit_2_naming_it()
    {
        await using var node = await FakeNode.StartAsync();
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "absent.csv");

        var run = await node.Run("observe", "--csv", file);

        Assert.Equal(2, run.Code);
        Assert.StartsWith($"nodectl: cannot read {file}: ", run.Error, StringComparison.Ordinal);
        Assert.Empty(node.Reasoning.Observed.All);
    }

    [Fact]
    public async Task Reason_status_reads_as_a_table_then_the_totals()
    {
        await using var node = await FakeNode.StartAsync();
        node.Reasoning.Automatic = new AutomaticApproval { Stopped = true, StoppedBy = "ada", StoppedAt = FakeKnowledgeService.Epoch, Reason = "audit" };

        var run = await node.Run("reason", "status");

        Assert.Equal(0, run.Code);
        Assert.Equal(
            """
            REASONER  RUNS  FINDINGS  MEAN CONFIDENCE  MEAN µs  LAST RUN
            kyle      5105  2210      0.612            3.3      2026-11-24 13:21:36Z
            kenny     0     0         -                -        -

            depth moderate: 5105 cycles (2 rejected), 1 subjects, 812 conclusions (3 conflicts), 140 decisions
            latency: 5105 observations, mean 9.5 µs, p50 8.3 µs, p99 31.0 µs, max 120.0 µs
            calibration: platt, 790 outcomes (410 held), Brier 0.2231 (base rate 0.2490), ECE 0.0312, 51 reflections
            automatic approval: stopped by ada at 2026-11-24 13:21:36Z: audit

            """, run.Output);
    }

    [Fact]
    public async Task Reason_status_json_has_every_field()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("reason", "status", "--json")).Json();

        Assert.Equal(("moderate", 5105, 812), (json.GetProperty("depth").GetString(), json.GetProperty("cycles").GetInt64(), json.GetProperty("conclusions").GetInt64()));
        var kyle = json.GetProperty("reasoners")[0];
        Assert.Equal(("kyle", 5105, 2210, 0.6123, 3.25, FakeKnowledgeService.Epoch), (kyle.GetProperty("name").GetString(), kyle.GetProperty("runs").GetInt64(),
            kyle.GetProperty("findings").GetInt64(), kyle.GetProperty("meanConfidence").GetDouble(), kyle.GetProperty("meanLatencyUs").GetDouble(),
            kyle.GetProperty("lastRunAt").GetInt64()));
        Assert.Equal(31, json.GetProperty("latency").GetProperty("p99Us").GetDouble());
        Assert.Equal(("platt", 0.0312), (json.GetProperty("calibration").GetProperty("method").GetString(), json.GetProperty("calibration").GetProperty("ece").GetDouble()));
        Assert.False(json.GetProperty("automatic").GetProperty("stopped").GetBoolean());
    }
}
