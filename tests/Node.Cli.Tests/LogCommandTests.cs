using Google.Protobuf;
using Node.Cli.Tests.Fakes;
using Node.Cli.Tests.Support;

namespace Node.Cli.Tests;

public sealed class LogCommandTests
{
    private const string Head = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    [Fact]
    public async Task Verify_of_an_intact_log_exits_0()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("log", "verify");

        Assert.Equal((0, $"event log intact: 30 entries verified, head 30 {Head}\n"), (run.Code, run.Output));
    }

    [Fact]
    public async Task Verify_json_of_an_intact_log()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("log", "verify", "--json")).Json();

        Assert.True(json.GetProperty("intact").GetBoolean());
        Assert.Equal(30, json.GetProperty("verified").GetInt64());
        Assert.Equal(30, json.GetProperty("headSeq").GetInt64());
        Assert.Equal(Head, json.GetProperty("headHash").GetString());
        Assert.False(json.TryGetProperty("firstBadSeq", out _));
    }

    [Fact]
    public async Task Verify_of_a_broken_log_exits_1_naming_the_first_bad_entry()
    {
        await using var node = await FakeNode.StartAsync();
        node.Log.Verification = new() { Intact = false, Verified = 11, HeadSeq = 30, HeadHash = ByteString.Empty, FirstBadSeq = 12, Problem = "hash does not chain" };

        var text = await node.Run("log", "verify");
        var json = await node.Run("log", "verify", "--json");

        Assert.Equal((NodeCtl.Error, "event log broken at entry 12: hash does not chain\n"), (text.Code, text.Output));
        Assert.Equal(NodeCtl.Error, json.Code);
        Assert.Equal(12, json.Json().GetProperty("firstBadSeq").GetInt64());
        Assert.Equal("hash does not chain", json.Json().GetProperty("problem").GetString());
    }

    [Fact]
    public async Task Tail_prints_the_newest_entries()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("log", "tail", "-n", "2");

        Assert.Equal(0, run.Code);
        var sent = node.Log.Tails.Only();
        Assert.Equal((2, false, 0L), (sent.Last, sent.Follow, sent.AfterSeq));
        Assert.Equal(
            """
                  29  2026-11-24 13:22:04Z  packet.accepted           {"seq":29}
                  30  2026-11-24 13:22:05Z  packet.accepted           {"seq":30}

            """, run.Output);
    }

    [Fact]
    public async Task Tail_json_is_one_object_per_line_after_a_sequence()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("log", "tail", "--after-seq", "27", "--json");

        Assert.Equal((0, 27L), (node.Log.Tails.Only().Last, node.Log.Tails.Only().AfterSeq));
        var lines = run.JsonLines();
        Assert.Equal([28, 29, 30], lines.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal("packet.accepted", lines[0].GetProperty("kind").GetString());
        Assert.Equal("""{"seq":28}""", lines[0].GetProperty("payload").GetString());
        Assert.Equal(FakeKnowledgeService.Epoch + 27_000, lines[0].GetProperty("time").GetInt64());
        Assert.Equal(64, lines[0].GetProperty("hash").GetString()!.Length);
    }

    [Theory]
    [InlineData("-f")]
    [InlineData("--follow")]
    public async Task Tail_follow_prints_new_entries_until_Ctrl_C_and_exits_0(string follow)
    {
        await using var node = await FakeNode.StartAsync();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var output = new LineWriter();

        var tailing = node.Run(new CliRunner { Output = output, Interrupt = interrupt.Token }, "log", "tail", "-n", "1", follow, "--json");
        await node.Log.Following;
        node.Log.Append("tier.changed", """{"peer":"pantry"}""");
        await output.WaitForLinesAsync(2);
        await interrupt.CancelAsync();
        var run = await tailing;

        Assert.Equal((0, ""), (run.Code, run.Error));
        Assert.True(node.Log.Tails.Only().Follow);
        Assert.Equal(["packet.accepted", "tier.changed"], run.JsonLines().Select(e => e.GetProperty("kind").GetString()));
        await node.Log.TailEnded;
    }
}
