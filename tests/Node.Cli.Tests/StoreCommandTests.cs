using Google.Protobuf;
using Node.Cli.Tests.Fakes;
using Node.Protocol.Api;

namespace Node.Cli.Tests;

public sealed class StoreCommandTests
{
    private static readonly string BadId = new('b', 64);
    private static readonly string OtherId = new('c', 64);

    private static ScrubReply Corrupt() => new()
    {
        Checked = 1204, Unverified = 3, Marked = 1, Corrupt = 2,
        CorruptPackets =
        {
            new CorruptPacket { Id = BadId, Seq = 17, Reason = "payload hashes to 00ff, not the id it was offered under" },
            new CorruptPacket { Id = OtherId, Seq = 904, Reason = "the signature of author X does not verify\u001b[2J" },
        },
    };

    [Fact]
    public async Task A_clean_scrub_reads_as_one_line_and_exits_0()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("store", "scrub");

        Assert.Equal((0, "store scrubbed: 1204 packets verified, none corrupt\n", ""), (run.Code, run.Output, run.Error));
        // A scrub verifies every packet: it gets an hour, not the usual 30 s.
        Assert.InRange(node.Store.Deadlines.Only() - DateTime.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task A_scrub_that_finds_corrupt_packets_names_each_with_its_reason_escaped_and_exits_1()
    {
        await using var node = await FakeNode.StartAsync();
        node.Store.Reply = Corrupt();

        var run = await node.Run("store", "scrub");

        Assert.Equal(NodeCtl.Error, run.Code);
        Assert.Equal(
            $"""
            store scrubbed: 1204 packets verified (3 without a known author key: signature not checked), 2 corrupt (1 newly marked); kept, never served or synced
            corrupt  {BadId}  seq 17  payload hashes to 00ff, not the id it was offered under
            corrupt  {OtherId}  seq 904  the signature of author X does not verify\x1b[2J

            """, run.Output);
    }

    [Fact]
    public async Task More_corrupt_packets_than_the_node_names_are_counted()
    {
        await using var node = await FakeNode.StartAsync();
        node.Store.Reply = Corrupt();
        node.Store.Reply.Corrupt = 1502;

        var run = await node.Run("store", "scrub");

        Assert.EndsWith("and 1500 more (the event log's packet.corrupt entries name them all)\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrub_json_has_the_counts_and_every_named_packet()
    {
        await using var node = await FakeNode.StartAsync();
        node.Store.Reply = Corrupt();

        var run = await node.Run("store", "scrub", "--json");

        Assert.Equal(NodeCtl.Error, run.Code);
        var json = run.Json();
        Assert.Equal((1204, 3, 1, 2), (json.GetProperty("checked").GetInt64(), json.GetProperty("unverified").GetInt64(),
            json.GetProperty("marked").GetInt64(), json.GetProperty("corrupt").GetInt64()));
        var packets = json.GetProperty("corruptPackets").EnumerateArray().ToList();
        Assert.Equal([(BadId, 17L), (OtherId, 904L)], packets.Select(p => (p.GetProperty("id").GetString(), p.GetProperty("seq").GetInt64())));
        Assert.Equal("the signature of author X does not verify\u001b[2J", packets[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_clean_scrubs_json_has_an_empty_list()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("store", "scrub", "--json")).Json();

        Assert.Equal(0, json.GetProperty("corrupt").GetInt64());
        Assert.Empty(json.GetProperty("corruptPackets").EnumerateArray());
    }

    [Fact]
    public async Task Getting_a_packet_the_node_holds_as_corrupt_says_so_as_the_node_words_it()
    {
        await using var node = await FakeNode.StartAsync();
        node.Refusal = new Grpc.Core.Status(Grpc.Core.StatusCode.DataLoss,
            $"Packet {BadId} is stored here but marked corrupt (payload hashes to 00ff, not the id it was offered under); it is never served. See nodectl store scrub.");

        var run = await node.Run("knowledge", "get", BadId);

        Assert.Equal(NodeCtl.Error, run.Code);
        Assert.Equal($"nodectl: Packet {BadId} is stored here but marked corrupt (payload hashes to 00ff, not the id it was offered under); it is never served. See nodectl store scrub.\n",
            run.Error);
    }

    [Fact]
    public async Task Log_verify_notes_corrupt_packets_without_changing_the_chains_verdict()
    {
        await using var node = await FakeNode.StartAsync();
        node.Log.Verification = new()
        {
            Intact = true, Verified = 30, HeadSeq = 30, HeadHash = ByteString.CopyFrom(new byte[32]), CorruptPackets = 2,
        };

        var text = await node.Run("log", "verify");
        var json = await node.Run("log", "verify", "--json");

        Assert.Equal(0, text.Code);
        Assert.EndsWith("note: 2 stored packet(s) marked corrupt (not served or synced); nodectl store scrub names them\n", text.Output, StringComparison.Ordinal);
        Assert.Equal(0, json.Code);
        Assert.Equal(2, json.Json().GetProperty("corruptPackets").GetInt64());
    }

    [Fact]
    public async Task Status_counts_corrupt_packets_when_there_are_any()
    {
        await using var node = await FakeNode.StartAsync();
        node.Node.Status.Store.CorruptPackets = 2;

        var text = await node.Run("status");
        var json = await node.Run("status", "--json");

        Assert.Contains("store      1204 packets, 2 held, 2 corrupt, 1290 events, 2240 KiB", text.Output, StringComparison.Ordinal);
        Assert.Equal(2, json.Json().GetProperty("store").GetProperty("corruptPackets").GetInt64());
    }
}
