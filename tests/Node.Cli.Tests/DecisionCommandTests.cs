using Node.Cli.Tests.Fakes;
using Node.Protocol.Api;

namespace Node.Cli.Tests;

public sealed class DecisionCommandTests
{
    [Fact]
    public async Task List_shows_those_pending_following_every_page()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("decisions", "list");

        Assert.Equal(0, run.Code);
        Assert.Equal(["", "2"], node.Decisions.Lists.All.Select(r => r.PageToken));
        Assert.All(node.Decisions.Lists.All, r => Assert.Equal((DecisionStatus.Unspecified, false), (r.Status, r.All)));
        Assert.Equal(
            """
            ID   TYPE        SUBJECT            STATUS   CONFIDENCE  CREATED               DECIDED BY  REASON
            d-4  scaling     node               pending  0.62        2026-11-24 13:21:40Z  -
            d-2  deployment  -                  pending  0.50        2026-11-24 13:21:38Z  -
            d-0  promotion   5e1f0c2a9b7d4e3f…  pending  0.50        2026-11-24 13:21:36Z  -

            """, run.Output);
    }

    [Theory]
    [InlineData("approved", DecisionStatus.Approved)]
    [InlineData("rejected", DecisionStatus.Rejected)]
    [InlineData("auto-approved", DecisionStatus.AutoApproved)]
    [InlineData("pending", DecisionStatus.Pending)]
    public async Task List_sends_the_status_asked_for(string word, DecisionStatus status)
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("decisions", "list", "--status", word, "--json")).Json();

        Assert.Equal(status, node.Decisions.Lists.All[0].Status);
        Assert.All(json.GetProperty("decisions").EnumerateArray(), d => Assert.Equal(word, d.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task List_all_json_has_every_decision_with_every_field()
    {
        await using var node = await FakeNode.StartAsync();

        var decisions = (await node.Run("decisions", "list", "--all", "--json")).Json().GetProperty("decisions").EnumerateArray().ToList();

        Assert.True(node.Decisions.Lists.All[0].All);
        Assert.Equal(["d-4", "d-3", "d-2", "d-1", "d-0"], decisions.Select(d => d.GetProperty("id").GetString()));
        var rejected = decisions[3];
        Assert.Equal("deployment", rejected.GetProperty("type").GetString());
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal(0.4, rejected.GetProperty("confidence").GetDouble());
        Assert.Equal(FakeKnowledgeService.Epoch + 1000, rejected.GetProperty("createdAt").GetInt64());
        Assert.Equal(FakeKnowledgeService.Epoch + 1500, rejected.GetProperty("decidedAt").GetInt64());
        Assert.Equal("ada", rejected.GetProperty("decidedBy").GetString());
        Assert.Equal("not tonight", rejected.GetProperty("reason").GetString());
        Assert.Equal("""{"threshold":0.85}""", decisions[0].GetProperty("explanation").GetString());
        Assert.Equal(FakeDecisionService.PromotedPacket, decisions[4].GetProperty("subject").GetString());
        Assert.Equal("", rejected.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Approve_sends_the_id_reason_and_guardian()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("decisions", "approve", "d-4", "--reason", "load is real", "--guardian", "ada");

        Assert.Equal(0, run.Code);
        var sent = node.Decisions.Approvals.Only();
        Assert.Equal(("d-4", "load is real", "ada"), (sent.Id, sent.Reason, sent.Guardian));
        Assert.Equal("decision d-4 (scaling) approved by ada: load is real\n", run.Output);
    }

    [Fact]
    public async Task Reject_leaves_the_guardian_to_the_node_when_not_given()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("decisions", "reject", "d-2", "--reason", "not during dinner", "--json")).Json();

        var sent = node.Decisions.Rejections.Only();
        Assert.Equal(("d-2", "not during dinner", ""), (sent.Id, sent.Reason, sent.Guardian));
        Assert.Equal("rejected", json.GetProperty("status").GetString());
        Assert.Equal("operator", json.GetProperty("decidedBy").GetString());
        Assert.Equal("not during dinner", json.GetProperty("reason").GetString());
        Assert.Empty(node.Decisions.Approvals.All);
    }

    [Fact]
    public async Task A_decision_no_longer_pending_exits_1_with_the_nodes_reason()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("decisions", "approve", "d-1", "--reason", "changed my mind");

        Assert.Equal((NodeCtl.Error, "nodectl: decision d-1 is no longer pending\n"), (run.Code, run.Error));
    }

    [Fact]
    public async Task Stop_sends_the_reason_and_says_who_stopped_automatic_approval()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("decisions", "stop", "--reason", "market data under review", "--guardian", "ada");

        Assert.Equal(0, run.Code);
        var sent = node.Decisions.Stops.Only();
        Assert.Equal(("market data under review", "ada"), (sent.Reason, sent.Guardian));
        Assert.Equal("automatic approval: stopped by ada at 2026-11-24 13:21:36Z: market data under review\n", run.Output);
    }

    [Fact]
    public async Task Stop_without_a_reason_is_a_usage_error()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("decisions", "stop");

        Assert.Equal(2, run.Code);
        Assert.Empty(node.Decisions.Stops.All);
    }

    [Fact]
    public async Task Resume_json_says_automatic_approval_is_on()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("decisions", "resume", "--json")).Json();

        Assert.Equal(("", ""), (node.Decisions.Resumes.Only().Reason, node.Decisions.Resumes.Only().Guardian));
        Assert.False(json.GetProperty("stopped").GetBoolean());
        Assert.Equal(0, json.GetProperty("stoppedAt").GetInt64());
    }
}
