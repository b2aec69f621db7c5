using Node.Cli.Tests.Fakes;

namespace Node.Cli.Tests;

public sealed class QuarantineCommandTests
{
    [Fact]
    public async Task Retract_sends_the_id_in_lowercase_and_names_the_retraction()
    {
        await using var node = await FakeNode.StartAsync();
        var target = node.Knowledge.Add("weather", "oslo", "rain");

        var run = await node.Run("knowledge", "retract", target.Id.ToUpperInvariant());

        Assert.Equal(0, run.Code);
        Assert.Equal(target.Id, node.Knowledge.Retracts.Only().Id);
        Assert.Equal($"retracted {target.Id} (retraction {node.Knowledge.Packets[1].Id})\n", run.Output);
    }

    [Fact]
    public async Task Retract_json_has_the_target_and_the_retraction()
    {
        await using var node = await FakeNode.StartAsync();
        var target = node.Knowledge.Add("weather", "oslo", "rain");

        var json = (await node.Run("knowledge", "retract", target.Id, "--json")).Json();

        Assert.Equal((target.Id, node.Knowledge.Packets[1].Id, 2, true), (json.GetProperty("retracted").GetString(), json.GetProperty("id").GetString(),
            json.GetProperty("seq").GetInt64(), json.GetProperty("created").GetBoolean()));
    }

    [Theory]
    [InlineData("knowledge", "retract", "abc")]
    [InlineData("knowledge", "promote", "abc")]
    [InlineData("knowledge", "reject")]
    public async Task A_packet_id_that_is_not_one_is_a_usage_error(params string[] args)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run(args);

        Assert.Equal(2, run.Code);
        Assert.Empty(node.Knowledge.Retracts.All);
        Assert.Empty(node.Knowledge.Promotes.All);
    }

    [Fact]
    public async Task Retract_of_a_packet_not_stored_reports_the_nodes_reason()
    {
        await using var node = await FakeNode.StartAsync();
        var absent = new string('c', 64);

        var run = await node.Run("knowledge", "retract", absent);

        Assert.Equal((1, $"nodectl: No packet {absent} is stored here.\n"), (run.Code, run.Error));
    }

    [Fact]
    public async Task List_quarantine_prints_whole_ids_where_each_came_from_and_why()
    {
        await using var node = await FakeNode.StartAsync();
        var held = node.Knowledge.Quarantined("weather", "oslo", "sunny");
        node.Knowledge.Add("weather", "bergen", "rain");

        var run = await node.Run("knowledge", "list", "--quarantine");

        Assert.Equal(0, run.Code);
        Assert.Equal(
            $"""
            ID                                                                KIND  TOPIC    KEY   AUTHOR   FROM PEER                        RECEIVED              REASON
            {held.Packet.Id}  note  weather  oslo  ABCDEFG  {FakePeerService.PeerId}  2026-11-24 13:21:37Z  from a sandbox peer

            """, run.Output);
        Assert.Empty(node.Knowledge.Lists.All);
    }

    [Fact]
    public async Task List_quarantine_json_pages_with_every_field()
    {
        await using var node = await FakeNode.StartAsync();
        var first = node.Knowledge.Quarantined("weather", "oslo", "sunny");
        node.Knowledge.Quarantined("weather", "bergen", "rain");

        var json = (await node.Run("knowledge", "list", "--quarantine", "--limit", "1", "--json")).Json();

        Assert.Equal(1, node.Knowledge.QuarantineLists.Only().PageSize);
        var entry = Assert.Single(json.GetProperty("packets").EnumerateArray());
        Assert.Equal((first.Packet.Id, 0, "sunny"), (entry.GetProperty("packet").GetProperty("id").GetString(),
            entry.GetProperty("packet").GetProperty("seq").GetInt64(), entry.GetProperty("packet").GetProperty("content").GetString()));
        Assert.Equal((FakePeerService.PeerId, first.ReceivedAt, "from a sandbox peer"), (entry.GetProperty("fromPeer").GetString(),
            entry.GetProperty("receivedAt").GetInt64(), entry.GetProperty("reason").GetString()));
        Assert.Equal("1", json.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task List_quarantine_says_when_nothing_waits()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("knowledge", "list", "--quarantine");

        Assert.Equal("nothing in quarantine\n", run.Output);
    }

    [Theory]
    [InlineData("--topic", "weather")]
    [InlineData("--author", FakePeerService.PeerId)]
    public async Task List_quarantine_takes_no_filter(string option, string value)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("knowledge", "list", "--quarantine", option, value);

        Assert.Equal(2, run.Code);
        Assert.Contains($"{option} does not go with --quarantine", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_sends_the_id_and_reason_and_says_where_the_packet_went()
    {
        await using var node = await FakeNode.StartAsync();
        var held = node.Knowledge.Quarantined("weather", "oslo", "sunny");

        var run = await node.Run("knowledge", "promote", held.Packet.Id, "--reason", "matches the station");

        Assert.Equal(0, run.Code);
        Assert.Equal((held.Packet.Id, "matches the station"), (node.Knowledge.Promotes.Only().Id, node.Knowledge.Promotes.Only().Reason));
        Assert.Equal($"promoted {held.Packet.Id} to the knowledge base (seq 1)\n", run.Output);
        Assert.Empty(node.Knowledge.Quarantine);
    }

    [Fact]
    public async Task Reject_without_a_reason_sends_none_and_json_is_the_packet_dropped()
    {
        await using var node = await FakeNode.StartAsync();
        var held = node.Knowledge.Quarantined("weather", "oslo", "sunny");

        var json = (await node.Run("knowledge", "reject", held.Packet.Id, "--json")).Json();

        Assert.Equal("", node.Knowledge.Rejects.Only().Reason);
        Assert.Equal((held.Packet.Id, FakePeerService.PeerId), (json.GetProperty("packet").GetProperty("id").GetString(), json.GetProperty("fromPeer").GetString()));
    }

    [Fact]
    public async Task Reject_says_the_packet_is_dropped_for_good()
    {
        await using var node = await FakeNode.StartAsync();
        var held = node.Knowledge.Quarantined("weather", "oslo", "sunny");

        var run = await node.Run("knowledge", "reject", held.Packet.Id, "--reason", "wrong station");

        Assert.Equal($"rejected {held.Packet.Id} from {FakePeerService.PeerId}: dropped, and not taken again\n", run.Output);
    }

    [Fact]
    public async Task Promote_of_a_packet_not_in_quarantine_reports_the_nodes_reason()
    {
        await using var node = await FakeNode.StartAsync();
        var absent = new string('d', 64);

        var run = await node.Run("knowledge", "promote", absent);

        Assert.Equal(1, run.Code);
        Assert.Equal($"nodectl: Packet {absent} is not in quarantine (see 'nodectl knowledge list --quarantine').\n", run.Error);
    }
}
