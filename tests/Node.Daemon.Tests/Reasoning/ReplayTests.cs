using System.Text.Json;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests.Reasoning;

/// <summary><c>sovereign-node replay</c>: bars through the pipeline offline, one JSON object per bar, a calibration summary.</summary>
public sealed class ReplayTests
{
    private static readonly string Sp500 = Node.Testing.Sp500.CsvPath;

    public static TheoryData<string> Kinds() => DaemonProcess.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Replays_the_SP500_file_one_JSON_object_per_bar_with_the_named_features_and_a_summary_on_stderr(string kind)
    {
        using var dir = new TempDirectory();
        var (code, output, error) = await DaemonProcess.RunToEndAsync(kind, dir.Path, "replay", "--csv", Sp500);

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5105, lines.Length);
        using (var first = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal("2000-01-03", first.RootElement.GetProperty("date").GetString());
            Assert.Equal(JsonValueKind.Null, first.RootElement.GetProperty("features").GetProperty("atr14").ValueKind);
            Assert.Equal(JsonValueKind.Null, first.RootElement.GetProperty("conclusion").ValueKind);
        }

        using var late = JsonDocument.Parse(lines[4000]);
        var features = late.RootElement.GetProperty("features");
        foreach (var name in new[] { "atr14", "bb20_upper", "bb20_middle", "bb20_lower", "obv", "mfi14", "rsi14", "donchian20_high", "donchian20_low" })
        {
            Assert.Equal(JsonValueKind.Number, features.GetProperty(name).ValueKind);
        }

        var conclusion = late.RootElement.GetProperty("conclusion");
        Assert.InRange(conclusion.GetProperty("confidence").GetDouble(), 0, 1);
        Assert.True(late.RootElement.GetProperty("findings").GetArrayLength() > 0);

        using var summary = JsonDocument.Parse(error.Trim());
        var s = summary.RootElement.GetProperty("summary");
        Assert.Equal(5105, s.GetProperty("bars").GetInt64());
        Assert.True(s.GetProperty("outcomes").GetInt64() > 5000);
        Assert.InRange(s.GetProperty("ece").GetDouble(), 0, 0.1);
        Assert.True(s.GetProperty("brier").GetDouble() < s.GetProperty("base_rate_brier").GetDouble(), "skill over the base rate");
    }

    [Fact]
    public async Task With_summary_only_the_summary_is_written_to_stdout_at_the_depth_asked_for()
    {
        using var dir = new TempDirectory();
        var (code, output, _) = await DaemonProcess.RunToEndAsync("jit", dir.Path, "replay", "--csv", Sp500, "--summary", "--depth", "deep");
        Assert.Equal(0, code);
        using var summary = JsonDocument.Parse(output.Trim());
        Assert.Equal("deep", summary.RootElement.GetProperty("summary").GetProperty("depth").GetString());
    }

    [Fact]
    public async Task A_line_that_is_not_a_bar_is_named_by_its_number_and_skipped_and_the_rest_is_replayed()
    {
        using var dir = new TempDirectory();
        var csv = dir.Write("bars.csv", "date,open,high,low,close,volume\n2020-01-01,1,2,0.5,1.5,10\n2020-01-02,one,2,0.5,1.5,10\n2020-01-03,1,0.5,2,1,10\n2020-01-06,1.5,2,1,1.8,12\n");
        var (code, output, error) = await DaemonProcess.RunToEndAsync("jit", dir.Path, "replay", "--csv", csv, "--subject", "toy");

        Assert.Equal(1, code);
        Assert.Contains("line 3: open: 'one' is not a finite number; skipped", error, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using var rejected = JsonDocument.Parse(lines[1]);
        Assert.Equal("high_below_low", rejected.RootElement.GetProperty("rejected").GetString());
        Assert.Equal("toy", rejected.RootElement.GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("replay", "replay needs --csv FILE")]
    [InlineData("replay --csv x.csv --depth sideways", "--depth must be shallow, moderate or deep; was 'sideways'")]
    [InlineData("replay --csv x.csv --speed 3", "unknown option '--speed'")]
    [InlineData("replay --csv /nonexistent/bars.csv", "cannot read '/nonexistent/bars.csv'")]
    public async Task Usage_errors_and_unreadable_files_exit_2_with_the_problem_named(string args, string message)
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await DaemonProcess.RunToEndAsync("jit", dir.Path, args.Split(' '));
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
