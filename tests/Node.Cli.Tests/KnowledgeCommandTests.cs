using System.Text;
using Node.Cli.Tests.Fakes;
using Node.Cli.Tests.Support;
using Node.Protocol.Packets;

namespace Node.Cli.Tests;

public sealed class KnowledgeCommandTests
{
    private static readonly string Dependency = new('a', 64);
    private static readonly string Replaced = new('B', 64);

    [Fact]
    public async Task Put_sends_every_field_and_prints_just_the_id()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("knowledge", "put", "--topic", "weather", "--key", "kitchen/temp", "--content", "21.5 °C",
            "--kind", "observation", "--media-type", "text/plain", "--scope", "shareable",
            "--depends-on", Dependency, "--supersedes", Replaced, "--supersedes", Dependency);

        Assert.Equal(0, run.Code);
        var sent = node.Knowledge.Puts.Only();
        Assert.Equal(("weather", "kitchen/temp", PacketKind.Observation, "text/plain", ShareScope.Shareable),
            (sent.Topic, sent.Key, sent.Kind, sent.MediaType, sent.Scope));
        Assert.Equal("21.5 °C", sent.Content.ToStringUtf8());
        Assert.Equal([Dependency], sent.Dependencies);
        Assert.Equal([Replaced.ToLowerInvariant(), Dependency], sent.Supersedes);
        Assert.Equal($"{node.Knowledge.Packets.Single().Id}\n", run.Output);
    }

    [Fact]
    public async Task Put_leaves_kind_media_type_and_scope_to_the_node_when_not_given()
    {
        await using var node = await FakeNode.StartAsync();

        await node.Run("knowledge", "put", "--topic", "t", "--key", "k", "--content", "x");

        var sent = node.Knowledge.Puts.Only();
        Assert.Equal((PacketKind.Unspecified, "", ShareScope.Unspecified), (sent.Kind, sent.MediaType, sent.Scope));
    }

    [Fact]
    public async Task Put_json_has_the_id_the_sequence_and_whether_it_was_new()
    {
        await using var node = await FakeNode.StartAsync();
        node.Knowledge.Add("other", "k", "first");

        var json = (await node.Run("knowledge", "put", "--topic", "t", "--key", "k", "--content", "x", "--json")).Json();

        Assert.Equal(node.Knowledge.Packets[1].Id, json.GetProperty("id").GetString());
        Assert.Equal(2, json.GetProperty("seq").GetInt64());
        Assert.True(json.GetProperty("created").GetBoolean());
    }

    [Fact]
    public async Task Put_reads_the_content_from_a_file()
    {
        await using var node = await FakeNode.StartAsync();
        using var dir = new TempDirectory();
        byte[] bytes = [0, 1, 2, 255, 254];
        var file = dir.Write("reading.bin", bytes);

        var run = await node.Run("knowledge", "put", "--topic", "t", "--key", "k", "--file", file, "--media-type", "application/octet-stream");

        Assert.Equal(0, run.Code);
        Assert.Equal(bytes, node.Knowledge.Puts.Only().Content.ToByteArray());
    }

    [Fact]
    public async Task Put_reads_standard_input_for_file_dash()
    {
        await using var node = await FakeNode.StartAsync();
        var input = Encoding.UTF8.GetBytes("piped\nin\n");

        var run = await node.Run(new CliRunner { Input = input }, "knowledge", "put", "--topic", "t", "--key", "k", "--file", "-");

        Assert.Equal(0, run.Code);
        Assert.Equal(input, node.Knowledge.Puts.Only().Content.ToByteArray());
    }

    [Fact]
    public async Task Put_takes_content_of_exactly_256_KiB()
    {
        await using var node = await FakeNode.StartAsync();
        using var dir = new TempDirectory();
        var file = dir.Write("big", new byte[256 * 1024]);

        var run = await node.Run("knowledge", "put", "--topic", "t", "--key", "k", "--file", file);

        Assert.Equal(0, run.Code);
        Assert.Equal(256 * 1024, node.Knowledge.Puts.Only().Content.Length);
    }

    [Fact]
    public async Task Put_refuses_a_file_over_1_MiB_before_sending_anything()
    {
        await using var node = await FakeNode.StartAsync();
        using var dir = new TempDirectory();
        var file = dir.Write("too-big", new byte[(256 * 1024) + 1]);

        var run = await node.Run("knowledge", "put", "--topic", "t", "--key", "k", "--file", file);

        Assert.Equal(NodeCtl.Error, run.Code);
        Assert.Equal($"nodectl: {file} is 262145 bytes; packet content may be at most 256 KiB (262144 bytes)\n", run.Error);
        Assert.Empty(node.Knowledge.Puts.All);
    }

    [Fact]
    public async Task Put_refuses_standard_input_over_1_MiB()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run(new CliRunner { Input = new byte[(2 * 1024 * 1024) + 3] }, "knowledge", "put", "--topic", "t", "--key", "k", "--file", "-");

        Assert.Equal(NodeCtl.Error, run.Code);
        Assert.Equal("nodectl: standard input is more than 262144 bytes; packet content may be at most 256 KiB (262144 bytes)\n", run.Error);
        Assert.Empty(node.Knowledge.Puts.All);
    }

    [Fact]
    public async Task Put_of_a_file_that_is_not_there_exits_1()
    {
        await using var node = await FakeNode.StartAsync();
        using var dir = new TempDirectory();
        var file = dir.Combine("missing.txt");

        var run = await node.Run("knowledge", "put", "--topic", "t", "--key", "k", "--file", file);

        Assert.Equal(NodeCtl.Error, run.Code);
        Assert.StartsWith($"nodectl: cannot read {file}: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_refused_by_the_node_exits_1_with_the_field_it_names()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("knowledge", "put", "--topic", new string('t', 300), "--key", "k", "--content", "x");

        Assert.Equal(NodeCtl.Error, run.Code);
        Assert.Equal("nodectl: topic: at most 256 bytes\n", run.Error);
    }

    [Fact]
    public async Task Get_by_id_prints_the_header_and_the_text_content()
    {
        await using var node = await FakeNode.StartAsync();
        var packet = node.Knowledge.Add("weather", "kitchen/temp", "21.5 °C", PacketKind.Observation);

        var run = await node.Run("knowledge", "get", packet.Id.ToUpperInvariant());

        Assert.Equal(0, run.Code);
        Assert.Equal(packet.Id, node.Knowledge.Gets.Only().Id);
        Assert.Equal(
            $"""
            id          {packet.Id}
            seq         1
            kind        observation
            topic       weather
            key         kitchen/temp
            author      {FakeNode.NodeId}
            scope       local
            media type  text/plain; charset=utf-8
            time        2026-11-24 13:21:37Z (hlc {packet.Hlc})
            received    2026-11-24 13:21:37Z

            21.5 °C

            """, run.Output);
    }

    [Fact]
    public async Task Get_of_binary_content_says_how_long_it_is_instead()
    {
        await using var node = await FakeNode.StartAsync();
        var packet = node.Knowledge.Add("t", "k", "\u0001\u0002", mediaType: "application/octet-stream");

        var run = await node.Run("knowledge", "get", packet.Id);

        Assert.EndsWith("\n\n(2 bytes of application/octet-stream: --json shows them as contentBase64)\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_by_slot_asks_for_the_current_value_of_topic_and_key()
    {
        await using var node = await FakeNode.StartAsync();
        node.Knowledge.Add("weather", "kitchen/temp", "20 °C");
        var current = node.Knowledge.Add("weather", "kitchen/temp", "21 °C");

        var json = (await node.Run("knowledge", "get", "--topic", "weather", "--key", "kitchen/temp", "--json")).Json();

        var sent = node.Knowledge.Gets.Only();
        Assert.Equal(("weather", "kitchen/temp"), (sent.Slot.Topic, sent.Slot.Key));
        Assert.Equal(current.Id, json.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Get_json_has_every_field_with_text_content_as_a_string()
    {
        await using var node = await FakeNode.StartAsync();
        var packet = node.Knowledge.Add("weather", "kitchen/temp", """{"celsius":21.5}""", PacketKind.Insight, "application/json");

        var json = (await node.Run("knowledge", "get", packet.Id, "--json")).Json();

        Assert.Equal(packet.Id, json.GetProperty("id").GetString());
        Assert.Equal(1, json.GetProperty("seq").GetInt64());
        Assert.Equal(FakeNode.NodeId, json.GetProperty("author").GetString());
        Assert.Equal("weather", json.GetProperty("topic").GetString());
        Assert.Equal("kitchen/temp", json.GetProperty("key").GetString());
        Assert.Equal("insight", json.GetProperty("kind").GetString());
        Assert.Equal("application/json", json.GetProperty("mediaType").GetString());
        Assert.Equal("""{"celsius":21.5}""", json.GetProperty("content").GetString());
        Assert.False(json.TryGetProperty("contentBase64", out _));
        Assert.Equal(packet.Hlc.ToString(System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("hlc").GetString());
        Assert.Equal(packet.Time, json.GetProperty("time").GetInt64());
        Assert.Equal(packet.ReceivedAt, json.GetProperty("receivedAt").GetInt64());
        Assert.Empty(json.GetProperty("dependencies").EnumerateArray());
        Assert.Empty(json.GetProperty("supersedes").EnumerateArray());
        Assert.Equal("local", json.GetProperty("scope").GetString());
        Assert.Equal(FakeNode.NodeId, json.GetProperty("origin").GetString());
        Assert.Empty(json.GetProperty("contenders").EnumerateArray());
        Assert.Equal(packet.Envelope.ToByteArray(), json.GetProperty("envelopeBase64").GetBytesFromBase64());
    }

    [Fact]
    public async Task Get_json_gives_binary_content_as_base64()
    {
        await using var node = await FakeNode.StartAsync();
        var packet = node.Knowledge.Add("t", "k", "\u00ff", mediaType: "image/png");

        var json = (await node.Run("knowledge", "get", packet.Id, "--json")).Json();

        Assert.Equal(packet.Content.ToByteArray(), json.GetProperty("contentBase64").GetBytesFromBase64());
        Assert.False(json.TryGetProperty("content", out _));
    }

    [Theory]
    [InlineData("get", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("get", "--topic", "weather", "--key", "attic")]
    public async Task Get_of_what_is_not_there_exits_1_saying_what_was_looked_for(params string[] command)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run(["knowledge", .. command]);

        Assert.Equal(NodeCtl.Error, run.Code);
        Assert.Equal("", run.Output);
        Assert.Matches("^nodectl: (packet 0{64} not found|slot weather/attic has no current value)\n$", run.Error);
    }

    [Fact]
    public async Task List_sends_the_filters_and_prints_a_table()
    {
        await using var node = await FakeNode.StartAsync();
        var first = node.Knowledge.Add("weather", "kitchen/temp", "20", PacketKind.Observation);
        node.Knowledge.Add("chores", "bins", "tuesday");
        var second = node.Knowledge.Add("weather", "attic/temp", "15", PacketKind.Observation);

        var run = await node.Run("knowledge", "list", "--topic", "weather", "--kind", "observation", "--author", FakeNode.NodeId, "--limit", "50");

        Assert.Equal(0, run.Code);
        var sent = node.Knowledge.Lists.Only();
        Assert.Equal(("weather", "", PacketKind.Observation, FakeNode.NodeId, 50, ""), (sent.Topic, sent.Key, sent.Kind, sent.Author, sent.PageSize, sent.PageToken));
        Assert.Equal(
            $"""
            SEQ  ID            KIND         TOPIC    KEY           AUTHOR   TIME
            1    {first.Id[..12]}  observation  weather  kitchen/temp  GCQTISU  2026-11-24 13:21:37Z
            3    {second.Id[..12]}  observation  weather  attic/temp    GCQTISU  2026-11-24 13:21:39Z

            """, run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task List_shows_one_page_and_says_how_to_get_the_next()
    {
        await using var node = await FakeNode.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            node.Knowledge.Add("t", $"k{i}", "x");
        }

        var run = await node.Run("knowledge", "list", "--limit", "2", "--page-token", "2");

        Assert.Equal(["SEQ", "3", "4"], run.Lines.Select(line => line.Split(' ')[0]));
        Assert.Equal("more: --page-token 4 (or --all for every page)\n", run.Error);
    }

    [Fact]
    public async Task List_all_follows_the_pages_to_the_end()
    {
        await using var node = await FakeNode.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            node.Knowledge.Add("t", $"k{i}", "x");
        }

        var json = (await node.Run("knowledge", "list", "--limit", "2", "--all", "--json")).Json();

        Assert.Equal(["", "2", "4"], node.Knowledge.Lists.All.Select(r => r.PageToken));
        Assert.Equal([1, 2, 3, 4, 5], json.GetProperty("packets").EnumerateArray().Select(p => p.GetProperty("seq").GetInt64()));
        Assert.Equal("", json.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task List_json_has_the_packets_and_the_next_page_token()
    {
        await using var node = await FakeNode.StartAsync();
        var packet = node.Knowledge.Add("t", "k1", "one");
        node.Knowledge.Add("t", "k2", "two");

        var json = (await node.Run("knowledge", "list", "--limit", "1", "--json")).Json();

        var only = Assert.Single(json.GetProperty("packets").EnumerateArray());
        Assert.Equal(packet.Id, only.GetProperty("id").GetString());
        Assert.Equal("one", only.GetProperty("content").GetString());
        Assert.Equal("1", json.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task List_of_nothing_says_so()
    {
        await using var node = await FakeNode.StartAsync();

        Assert.Equal("no packets\n", (await node.Run("knowledge", "list")).Output);
    }

    [Fact]
    public async Task Watch_prints_each_packet_as_a_json_line_until_Ctrl_C_and_exits_0()
    {
        await using var node = await FakeNode.StartAsync();
        node.Knowledge.Add("weather", "old", "before");
        var replayed = node.Knowledge.Add("weather", "kitchen/temp", "20");
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var output = new LineWriter();

        var watching = node.Run(new CliRunner { Output = output, Interrupt = interrupt.Token },
            "knowledge", "watch", "--topic", "weather", "--kind", "note", "--author", FakeNode.NodeId, "--after-seq", "1", "--json");
        await node.Knowledge.Watching;
        node.Knowledge.Add("chores", "bins", "not watched");
        var arrived = node.Knowledge.Add("weather", "attic/temp", "15");
        await output.WaitForLinesAsync(2);
        await interrupt.CancelAsync();
        var run = await watching;

        Assert.Equal(0, run.Code);
        Assert.Equal("", run.Error);
        var sent = node.Knowledge.Watches.Only();
        Assert.Equal(("weather", PacketKind.Note, FakeNode.NodeId, 1L, true), (sent.Topic, sent.Kind, sent.Author, sent.AfterSeq, sent.Replay));
        Assert.Equal([replayed.Id, arrived.Id], run.JsonLines().Select(p => p.GetProperty("id").GetString()));
        await node.Knowledge.WatchEnded;
    }

    [Fact]
    public async Task Watch_prints_a_line_per_packet_in_text()
    {
        await using var node = await FakeNode.StartAsync();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var output = new LineWriter();

        var watching = node.Run(new CliRunner { Output = output, Interrupt = interrupt.Token }, "knowledge", "watch");
        await node.Knowledge.Watching;
        var packet = node.Knowledge.Add("weather", "kitchen/temp", "20", PacketKind.Observation);
        await output.WaitForLinesAsync(1);
        await interrupt.CancelAsync();
        var run = await watching;

        Assert.Equal(0, run.Code);
        Assert.Equal($"1  {packet.Id[..12]}  observation  weather  kitchen/temp  GCQTISU  2026-11-24 13:21:37Z\n", run.Output);
        Assert.Equal((0L, false), (node.Knowledge.Watches.Only().AfterSeq, node.Knowledge.Watches.Only().Replay));
    }
}
