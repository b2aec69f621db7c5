using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Node.Cli;
using Node.Cli.Commands;
using Node.Cli.Output;
using Node.Daemon.Api;
using Node.Daemon.Reasoning;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests.Reasoning;

/// <summary>
/// What <c>nodectl audit</c> prints for a live node's report, as the API carries it. (The command's call itself is
/// exercised end to end once ReasoningService.Audit is served.)
/// </summary>
public sealed class AuditCommandOutputTests
{
    [Fact]
    public async Task The_table_has_every_check_the_category_rates_the_overall_figures_and_the_recommendations()
    {
        var probe = new ServiceProbe();
        await using var node = await ApiNode.StartAsync(customize: probe.Customize);
        File.SetUnixFileMode(Path.Combine(node.DataDirectory, "identity.key"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var report = AuditReportMapping.ToApi(
            await probe.Services.GetRequiredService<SelfAuditRunner>().RunAsync(TestContext.Current.CancellationToken));

        var lines = AuditCommand.Render(report).Split('\n');

        Assert.Matches(@"^CATEGORY +CHECK +STATUS +FINDING$", lines[0]);
        Assert.All(lines[1..25], l => Assert.Matches(@"^[a-z_]+ +[a-z_]+\.[a-z_]+ +(pass|fail|not_applicable) +\S", l));
        Assert.Equal("", lines[25]);
        Assert.Matches(@"^federation_readiness +federation\.key_file_mode +fail +The identity key file is mode 0604, not 0600\.$",
            lines.Single(l => l.Contains("federation.key_file_mode", StringComparison.Ordinal)));
        Assert.Contains("federation_readiness  3/4 passed   75%  (1 not applicable)", lines);
        Assert.Contains("performance           1/1 passed  100%  (2 not applicable)", lines);
        Assert.Contains("overall pass rate 94%, confidence 0.70", lines);
        Assert.Equal("recommendations:", lines[^3]);
        Assert.StartsWith("- Run `chmod 600` on the identity key", lines[^2], StringComparison.Ordinal);
        Assert.Equal(NodeCtl.Error, AuditCommand.ExitCode(report));
    }

    [Fact]
    public async Task The_json_has_every_check_and_null_rates_where_nothing_applied()
    {
        var probe = new ServiceProbe();
        await using var node = await ApiNode.StartAsync(customize: probe.Customize);
        var report = AuditReportMapping.ToApi(
            await probe.Services.GetRequiredService<SelfAuditRunner>().RunAsync(TestContext.Current.CancellationToken));

        using var json = JsonDocument.Parse(JsonText.Object(writer => AuditCommand.Write(writer, report)));

        var root = json.RootElement;
        Assert.Equal(1.0, root.GetProperty("passRate").GetDouble(), 1e-12);
        Assert.Equal(24, root.GetProperty("checks").GetArrayLength());
        var calibration = root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "performance.calibration");
        Assert.Equal("not_applicable", calibration.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, calibration.GetProperty("recommendation").ValueKind);
        var agents = root.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "agent_coordination");
        Assert.Equal(1, agents.GetProperty("passed").GetInt32());
        Assert.Equal(3, agents.GetProperty("notApplicable").GetInt32());
        Assert.Empty(root.GetProperty("recommendations").EnumerateArray());
    }
}
