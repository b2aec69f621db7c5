using Node.Cli.Tests.Fakes;
using Node.Cli.Tests.Support;
using Node.Protocol.Api;

namespace Node.Cli.Tests;

public sealed class SyncCommandTests
{
    private const string OtherPeer = "JQ5XKPL-2MRD4AW-FZ7YBNE-Q3HCV6T";
    private const long Asked = FakeFederationService.RequestedAt;

    [Fact]
    public async Task Status_prints_auto_sync_this_nodes_position_and_a_row_per_peer()
    {
        await using var node = await FakeNode.StartAsync();
        node.Federation.Status.Peers.Add(new PeerSync
        {
            NodeId = OtherPeer, Tier = TrustTier.Sandbox, Link = "down", Phase = "fetching", View = "shareable", RoundStartedAt = Asked,
            PacketsReceived = 3, BytesReceived = 300, ToReceive = 7, ToSend = 0,
        });

        var run = await node.Run("federation", "status");

        Assert.Equal(0, run.Code);
        Assert.Equal(
            $"""
            auto-sync:       on
            this node:       epoch 00112233445566778899aabbccddeeff, last seq 42
            core view:       {new string('c', 64)} (40 packets)
            shareable view:  {new string('5', 64)} (7 packets)

            NODE ID                          TIER     LINK       PHASE     VIEW       LAST ROUND                     RECEIVED      SENT         REFUSED  RATE  TO RECEIVE  TO SEND  RESULT
            {FakePeerService.PeerId}  core     connected  idle      core       catch-up 2026-11-24 13:21:37Z  12 (3.5 KiB)  4 (1.0 KiB)  1        12/s  unknown     unknown  ok
            {OtherPeer}  sandbox  down       fetching  shareable  -                              3 (300 B)     0 (0 B)      0        -     7           0        -

            """, run.Output);
        Assert.DoesNotContain("%", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_with_automatic_rounds_off_and_no_peer_says_both()
    {
        await using var node = await FakeNode.StartAsync();
        node.Federation.Status = new SyncStatus { AutoSync = false, Epoch = "ab", LastSeq = 0 };

        var run = await node.Run("federation", "status");

        Assert.Equal(
            """
            auto-sync:       off (rounds run only when asked: nodectl federation sync)
            this node:       epoch ab, last seq 0
            core view:       -
            shareable view:  -

            no peer synced with since the node started (core and sandbox peers sync once linked)

            """, run.Output);
    }

    [Fact]
    public async Task Status_json_has_every_field_and_null_for_what_is_unknown()
    {
        await using var node = await FakeNode.StartAsync();
        node.Federation.Status.Peers[0].ToSend = 5;

        var json = (await node.Run("federation", "status", "--json")).Json();

        Assert.True(json.GetProperty("autoSync").GetBoolean());
        Assert.Equal(("00112233445566778899aabbccddeeff", 42), (json.GetProperty("epoch").GetString(), json.GetProperty("lastSeq").GetInt64()));
        var peer = Assert.Single(json.GetProperty("peers").EnumerateArray());
        Assert.Equal((FakePeerService.PeerId, "core", "connected", "idle", "core"), (peer.GetProperty("nodeId").GetString(), peer.GetProperty("tier").GetString(),
            peer.GetProperty("link").GetString(), peer.GetProperty("phase").GetString(), peer.GetProperty("view").GetString()));
        Assert.Equal((FakeKnowledgeService.Epoch, FakeKnowledgeService.Epoch + 1_000, "ok", "catch-up"), (peer.GetProperty("roundStartedAt").GetInt64(),
            peer.GetProperty("lastRoundEndedAt").GetInt64(), peer.GetProperty("lastRoundResult").GetString(), peer.GetProperty("lastRoundKind").GetString()));
        Assert.Equal((12, 3_584, 4, 1_024, 1), (peer.GetProperty("packetsReceived").GetInt64(), peer.GetProperty("bytesReceived").GetInt64(),
            peer.GetProperty("packetsSent").GetInt64(), peer.GetProperty("bytesSent").GetInt64(), peer.GetProperty("refused").GetInt64()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, peer.GetProperty("toReceive").ValueKind);
        Assert.Equal(5, peer.GetProperty("toSend").GetInt64());
        Assert.Equal(12.0, peer.GetProperty("receiveRate").GetDouble());
        Assert.Equal(9, peer.GetProperty("rounds").GetInt64());
        Assert.Equal((new string('c', 64), 40), (json.GetProperty("coreView").GetProperty("digest").GetString(),
            json.GetProperty("coreView").GetProperty("packets").GetInt64()));
        Assert.Equal(7, json.GetProperty("shareableView").GetProperty("packets").GetInt64());
    }

    [Fact]
    public async Task Sync_asks_every_linked_peer_by_default_and_returns_at_once()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("federation", "sync");

        Assert.Equal(0, run.Code);
        Assert.Equal(("", false), (node.Federation.Syncs.Only().NodeId, node.Federation.Syncs.Only().Audit));
        Assert.Equal($"a round asked of {FakePeerService.PeerId}; see nodectl federation status, or add --wait\n", run.Output);
        Assert.Equal(0, node.Federation.StatusReads);
    }

    [Fact]
    public async Task Sync_sends_the_peer_and_the_audit_and_json_says_what_was_asked()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("federation", "sync", OtherPeer, "--audit", "--json")).Json();

        Assert.Equal((OtherPeer, true), (node.Federation.Syncs.Only().NodeId, node.Federation.Syncs.Only().Audit));
        Assert.Equal(Asked, json.GetProperty("requestedAt").GetInt64());
        Assert.Equal([OtherPeer], json.GetProperty("nodeIds").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Sync_with_no_linked_peer_fails_and_says_why()
    {
        await using var node = await FakeNode.StartAsync();
        node.Federation.Asked = [];

        var run = await node.Run("federation", "sync", "--wait");

        Assert.Equal((1, ""), (run.Code, run.Output));
        Assert.Equal("nodectl: no core or sandbox peer is linked now: no round was asked for (see nodectl peers list)\n", run.Error);
    }

    [Fact]
    public async Task Sync_wait_follows_the_round_to_its_end_and_exits_0()
    {
        await using var node = await FakeNode.StartAsync();
        Script(node, Running("reconciling", received: 12, toReceive: null), Running("fetching", received: 17, toReceive: 5), Ended("ok", received: 22));

        var run = await node.Run("federation", "sync", "--wait");

        Assert.Equal((0, ""), (run.Code, run.Error));
        Assert.Equal($"{FakePeerService.PeerId}: reconciliation ok, 10 packets received in 2.5s\n", run.Output);
    }

    [Fact]
    public async Task Sync_wait_draws_a_bar_per_peer_on_a_terminal_and_clears_it()
    {
        await using var node = await FakeNode.StartAsync();
        node.Federation.Asked = [FakePeerService.PeerId, OtherPeer];
        var other = new PeerSync { NodeId = OtherPeer, Tier = TrustTier.Core, Link = "connected", Phase = "idle", RoundStartedAt = Asked + 100, LastRoundEndedAt = Asked + 200, LastRoundResult = "ok", LastRoundKind = "catch-up" };
        Script(node, With(Running("reconciling", received: 12, toReceive: null)), With(Running("fetching", received: 17, toReceive: 5)), With(Ended("ok", received: 22), other));

        var run = await node.Run(new CliRunner { Terminal = true }, "federation", "sync", "--wait");

        Assert.Equal(0, run.Code);
        Assert.Contains("\rsync: 0 of 2 ended; ABCDEFG reconciling: 0 packets received (to receive: unknown) (+1 more)", run.Error, StringComparison.Ordinal);
        Assert.Contains("\rsync: 0 of 2 ended; ABCDEFG fetching [##########----------] 50% (5 of 10 packets) (+1 more)", run.Error, StringComparison.Ordinal);
        Assert.EndsWith("\r", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", run.Output, StringComparison.Ordinal);
        Assert.Equal(
            $"""
            {FakePeerService.PeerId}: reconciliation ok, 10 packets received in 2.5s
            {OtherPeer}: catch-up ok, 0 packets received in 100ms

            """, run.Output);

        static SyncStatus With(SyncStatus status, PeerSync? other = null)
        {
            status.Peers.Add(other ?? new PeerSync { NodeId = OtherPeer, Tier = TrustTier.Core, Link = "connected", Phase = "idle" });
            return status;
        }
    }

    [Fact]
    public async Task Sync_wait_exits_1_naming_the_peer_whose_round_failed_and_why()
    {
        await using var node = await FakeNode.StartAsync();
        Script(node, Running("catching_up", received: 12, toReceive: null), Ended("Unavailable: the peer went away", received: 12));

        var run = await node.Run("federation", "sync", "--wait");

        Assert.Equal((1, ""), (run.Code, run.Output));
        Assert.Equal($"nodectl: sync with {FakePeerService.PeerId} failed: Unavailable: the peer went away\n", run.Error);
    }

    [Fact]
    public async Task Sync_wait_does_not_take_a_round_that_started_before_it_asked()
    {
        await using var node = await FakeNode.StartAsync();
        var earlier = Ended("ok", received: 13);
        earlier.Peers[0].RoundStartedAt = Asked - 500;
        Script(node, earlier, Ended("ok", received: 15));

        var run = await node.Run("federation", "sync", "--wait");

        Assert.Equal(0, run.Code);
        Assert.Equal($"{FakePeerService.PeerId}: reconciliation ok, 3 packets received in 2.5s\n", run.Output);
        Assert.Equal(3, node.Federation.StatusReads);
    }

    [Fact]
    public async Task Sync_wait_fails_when_the_peer_is_no_longer_linked_before_its_round()
    {
        await using var node = await FakeNode.StartAsync();
        var gone = node.Federation.Status.Clone();
        gone.Peers[0].Link = "suspect";
        Script(node, gone);

        var run = await node.Run("federation", "sync", "--wait");

        Assert.Equal(1, run.Code);
        Assert.Equal($"nodectl: sync with {FakePeerService.PeerId} failed: not linked now (link suspect): no round could run\n", run.Error);
    }

    [Fact]
    public async Task Sync_wait_gives_up_after_its_timeout()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("federation", "sync", "--wait", "--timeout", "1s", "--json");

        Assert.Equal(1, run.Code);
        Assert.Equal($"nodectl: sync with {FakePeerService.PeerId} failed: no round ended within 1s (it may still be running: see nodectl federation status)\n",
            run.Error);
        var json = run.Json();
        Assert.False(json.GetProperty("ok").GetBoolean());
        var round = Assert.Single(json.GetProperty("rounds").EnumerateArray());
        Assert.Equal((FakePeerService.PeerId, false, 0), (round.GetProperty("nodeId").GetString(), round.GetProperty("ok").GetBoolean(),
            round.GetProperty("endedAt").GetInt64()));
    }

    [Fact]
    public async Task Sync_wait_json_is_one_object_with_each_rounds_end()
    {
        await using var node = await FakeNode.StartAsync();
        Script(node, Ended("ok", received: 20));

        var run = await node.Run("federation", "sync", "--wait", "--json");

        Assert.Equal((0, ""), (run.Code, run.Error));
        var json = run.Json();
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(Asked, json.GetProperty("requestedAt").GetInt64());
        var round = Assert.Single(json.GetProperty("rounds").EnumerateArray());
        Assert.Equal((FakePeerService.PeerId, true, "ok", "reconciliation", Asked + 500, Asked + 3_000, 8), (round.GetProperty("nodeId").GetString(),
            round.GetProperty("ok").GetBoolean(), round.GetProperty("result").GetString(), round.GetProperty("kind").GetString(),
            round.GetProperty("startedAt").GetInt64(), round.GetProperty("endedAt").GetInt64(), round.GetProperty("packetsReceived").GetInt64()));
    }

    [Theory]
    [InlineData("--timeout", "5s")]
    [InlineData("--wait", "--timeout", "2")]
    [InlineData("--wait", "--timeout", "1441m")]
    public async Task Sync_refuses_a_timeout_without_wait_or_one_it_cannot_read(params string[] args)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run(["federation", "sync", .. args]);

        Assert.Equal(2, run.Code);
        Assert.Empty(node.Federation.Syncs.All);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("off", false)]
    public async Task Auto_sync_sends_the_switch_and_says_where_it_stands(string word, bool on)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("federation", "auto-sync", word);

        Assert.Equal(0, run.Code);
        Assert.Equal(on, node.Federation.AutoSyncs.Only().On);
        Assert.Equal(on ? "auto-sync: on\n" : "auto-sync: off (rounds run only when asked: nodectl federation sync)\n", run.Output);
    }

    [Fact]
    public async Task Auto_sync_refuses_anything_but_on_or_off()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("federation", "auto-sync", "maybe");

        Assert.Equal(2, run.Code);
        Assert.Contains("SWITCH: 'maybe' is not one of on, off.", run.Error, StringComparison.Ordinal);
        Assert.Empty(node.Federation.AutoSyncs.All);
    }

    // GetSyncStatus answers the fake's status once (the read before asking), then each of these in turn; the last one from then on.
    private static void Script(FakeNode node, params SyncStatus[] statuses)
    {
        lock (node.Federation.Statuses)
        {
            node.Federation.Statuses.Enqueue(node.Federation.Status.Clone());
            foreach (var status in statuses)
            {
                node.Federation.Statuses.Enqueue(status);
            }
        }

        node.Federation.Status = statuses[^1];
    }

    private static SyncStatus Running(string phase, long received, long? toReceive)
    {
        var status = new SyncStatus { AutoSync = true, Epoch = "ab", LastSeq = 42 };
        var peer = new PeerSync
        {
            NodeId = FakePeerService.PeerId, Tier = TrustTier.Core, Link = "connected", Phase = phase, View = "core", RoundStartedAt = Asked + 500,
            LastRoundEndedAt = FakeKnowledgeService.Epoch + 1_000, LastRoundResult = "ok", LastRoundKind = "catch-up", PacketsReceived = received,
        };
        if (toReceive is { } n)
        {
            peer.ToReceive = n;
        }

        status.Peers.Add(peer);
        return status;
    }

    private static SyncStatus Ended(string result, long received)
    {
        var status = Running("idle", received, toReceive: 0);
        status.Peers[0].LastRoundEndedAt = Asked + 3_000;
        status.Peers[0].LastRoundResult = result;
        status.Peers[0].LastRoundKind = "reconciliation";
        return status;
    }
}
