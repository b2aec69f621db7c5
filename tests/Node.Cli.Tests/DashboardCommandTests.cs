using Grpc.Core;
using Node.Cli.Tests.Fakes;

namespace Node.Cli.Tests;

public sealed class DashboardCommandTests
{
    [Fact]
    public async Task Dashboard_prints_a_one_time_login_link_and_when_it_expires()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("dashboard");

        Assert.Equal((0, ""), (run.Code, run.Error));
        Assert.Equal(
            $"""
            Open this link in a browser on this machine; it works once, until 2026-11-24 13:23:36Z:
            {FakeDashboardService.Url}

            """, run.Output);
        Assert.Single(node.Dashboard.Logins.All);
        Assert.Empty(node.Dashboard.Tokens.All);
    }

    [Fact]
    public async Task Dashboard_json_is_the_url_and_its_expiry()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("dashboard", "--json")).Json();

        Assert.Equal(FakeDashboardService.Url, json.GetProperty("url").GetString());
        Assert.Equal(FakeKnowledgeService.Epoch + 120_000, json.GetProperty("expiresAt").GetInt64());
    }

    [Fact]
    public async Task The_metrics_token_is_printed_alone_on_its_line_so_it_can_be_written_to_a_credentials_file()
    {
        await using var node = await FakeNode.StartAsync();

        var text = await node.Run("dashboard", "--metrics-token");
        var json = (await node.Run("dashboard", "--metrics-token", "--json")).Json();

        Assert.Equal((0, FakeDashboardService.Token + "\n"), (text.Code, text.Output));
        Assert.Equal(FakeDashboardService.Token, json.GetProperty("token").GetString());
        Assert.Equal("http://127.0.0.1:8101/metrics", json.GetProperty("url").GetString());
        Assert.Empty(node.Dashboard.Logins.All);
    }

    [Fact]
    public async Task A_node_whose_dashboard_is_off_is_quoted_and_the_exit_code_is_1()
    {
        await using var node = await FakeNode.StartAsync();
        node.Refusal = new Status(StatusCode.FailedPrecondition, "The dashboard is off: set Dashboard:Enabled to true and restart the node.");

        var run = await node.Run("dashboard");

        Assert.Equal((NodeCtl.Error, ""), (run.Code, run.Output));
        Assert.Equal("nodectl: The dashboard is off: set Dashboard:Enabled to true and restart the node.\n", run.Error);
    }
}
