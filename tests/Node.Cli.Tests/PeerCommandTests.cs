using Node.Cli.Tests.Fakes;
using Node.Protocol.Api;

namespace Node.Cli.Tests;

public sealed class PeerCommandTests
{
    [Fact]
    public async Task List_prints_a_table_of_the_peers()
    {
        await using var node = await FakeNode.StartAsync();
        node.Peers.Peers.Add(new Peer { Name = "", Tier = TrustTier.Unknown, Addresses = { "[fe80::1]:8102" }, Source = "static" });

        var run = await node.Run("peers", "list");

        Assert.Equal(
            $"""
            NODE ID                          NAME    TIER     LINK       RTT     LAST HEARTBEAT        SOURCE  ADDRESSES
            {FakePeerService.PeerId}  pantry  core     connected  0.4 ms  2026-11-24 13:23:36Z  mdns    192.168.1.20:8102
            (not yet contacted)                      unknown  never      -       -                     static  [fe80::1]:8102

            """, run.Output);
    }

    [Fact]
    public async Task List_json_has_every_field_of_every_peer()
    {
        await using var node = await FakeNode.StartAsync();

        var peer = Assert.Single((await node.Run("peers", "list", "--json")).Json().GetProperty("peers").EnumerateArray());

        Assert.Equal(FakePeerService.PeerId, peer.GetProperty("nodeId").GetString());
        Assert.Equal("pantry", peer.GetProperty("name").GetString());
        Assert.Equal("core", peer.GetProperty("tier").GetString());
        Assert.Equal(["192.168.1.20:8102"], peer.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("mdns", peer.GetProperty("source").GetString());
        Assert.Equal(FakeKnowledgeService.Epoch, peer.GetProperty("firstSeenAt").GetInt64());
        Assert.Equal(FakeKnowledgeService.Epoch + 60_000, peer.GetProperty("lastSeenAt").GetInt64());
        var link = peer.GetProperty("link");
        Assert.Equal(("connected", "outbound", 420L, FakeKnowledgeService.Epoch + 120_000, FakeKnowledgeService.Epoch + 90_000, "", 0L),
            (link.GetProperty("state").GetString(), link.GetProperty("direction").GetString(), link.GetProperty("rttUs").GetInt64(),
             link.GetProperty("lastHeartbeatAt").GetInt64(), link.GetProperty("since").GetInt64(), link.GetProperty("problem").GetString(),
             link.GetProperty("problemAt").GetInt64()));
        Assert.Equal(("", -95_000L), (link.GetProperty("problemKind").GetString(), link.GetProperty("clockSkewMs").GetInt64()));
    }

    [Fact]
    public async Task Show_prints_the_link_and_the_verified_manifest_with_its_certificate_fingerprint()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("peers", "show", FakePeerService.PeerId);
        var json = (await node.Run("peers", "show", FakePeerService.PeerId, "--json")).Json();

        Assert.Equal(0, run.Code);
        Assert.Contains("link:         connected (outbound, rtt 0.4 ms)\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("clock:        95 s behind this node's (check both clocks)\n", run.Output, StringComparison.Ordinal);
        Assert.Contains($"  certificate sha256 {new string('c', 64)}\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("  peer port:  8102\n", run.Output, StringComparison.Ordinal);
        Assert.Equal(FakePeerService.PeerId, json.GetProperty("peer").GetProperty("nodeId").GetString());
        Assert.Equal(new string('c', 64), json.GetProperty("manifest").GetProperty("certificateSha256").GetString());
        Assert.True(json.GetProperty("manifest").GetProperty("validNow").GetBoolean());
        Assert.Equal("", json.GetProperty("rotatedTo").GetString());
    }

    [Fact]
    public async Task Show_of_a_peer_not_known_says_so()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("peers", "show", "QQQQQQQ-RRRRRRR-SSSSSSS-TTTTTTT");

        Assert.NotEqual(0, run.Code);
        Assert.Contains("No peer QQQQQQQ-RRRRRRR-SSSSSSS-TTTTTTT is known here.", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.168.1.30:8102")]
    [InlineData("[fe80::2%eth0]:8102")]
    [InlineData("attic.local:9000")]
    public async Task Add_sends_the_address_id_and_name(string address)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("peers", "add", address, "--id", "QQQQQQQ-RRRRRRR-SSSSSSS-TTTTTTT", "--name", "attic");

        Assert.Equal(0, run.Code);
        var sent = node.Peers.Adds.Only();
        Assert.Equal((address, "QQQQQQQ-RRRRRRR-SSSSSSS-TTTTTTT", "attic"), (sent.Address, sent.NodeId, sent.Name));
        Assert.Equal("added peer attic (QQQQQQQ-RRRRRRR-SSSSSSS-TTTTTTT)\n", run.Output);
    }

    [Fact]
    public async Task Add_json_is_the_peer_the_node_registered()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("peers", "add", "192.168.1.30:8102", "--json")).Json();

        Assert.Equal("", json.GetProperty("nodeId").GetString());
        Assert.Equal("static", json.GetProperty("source").GetString());
        Assert.Equal("unknown", json.GetProperty("tier").GetString());
    }

    [Theory]
    [InlineData("core", TrustTier.Core)]
    [InlineData("sandbox", TrustTier.Sandbox)]
    [InlineData("external", TrustTier.External)]
    [InlineData("unknown", TrustTier.Unknown)]
    public async Task Trust_sends_the_tier_and_the_reason(string word, TrustTier tier)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("peers", "trust", FakePeerService.PeerId, word, "--reason", "met at the allotment");

        Assert.Equal(0, run.Code);
        var sent = node.Peers.Trusts.Only();
        Assert.Equal((FakePeerService.PeerId, tier, "met at the allotment"), (sent.NodeId, sent.Tier, sent.Reason));
        Assert.Equal($"peer pantry ({FakePeerService.PeerId}) is now {word}\n", run.Output);
    }

    [Fact]
    public async Task Trust_json_is_the_peer_with_its_new_tier()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("peers", "trust", FakePeerService.PeerId, "sandbox", "--json")).Json();

        Assert.Equal("sandbox", json.GetProperty("tier").GetString());
        Assert.Equal("", node.Peers.Trusts.Only().Reason);
    }

    [Fact]
    public async Task Trust_of_an_unknown_node_id_exits_1()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("peers", "trust", "NOBODYH-EREXXXX-XXXXXXX-XXXXXXX", "core");

        Assert.Equal((NodeCtl.Error, "nodectl: no peer with node id NOBODYH-EREXXXX-XXXXXXX-XXXXXXX\n"), (run.Code, run.Error));
    }

    [Fact]
    public async Task Forget_by_node_id()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("peers", "forget", FakePeerService.PeerId);

        Assert.Equal((0, $"forgot 1 peer (node id {FakePeerService.PeerId})\n"), (run.Code, run.Output));
        Assert.Equal(FakePeerService.PeerId, node.Peers.Forgets.Only().NodeId);
        Assert.Empty(node.Peers.Peers);
    }

    [Fact]
    public async Task Forget_by_address_json()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("peers", "forget", "--address", "192.168.1.20:8102", "--json");

        Assert.Equal(1, run.Json().GetProperty("forgotten").GetInt32());
        Assert.Equal(ForgetPeerRequest.SelectorOneofCase.Address, node.Peers.Forgets.Only().SelectorCase);
        Assert.Equal("192.168.1.20:8102", node.Peers.Forgets.Only().Address);
    }

    [Fact]
    public async Task Forgetting_nobody_exits_1()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("peers", "forget", "--address", "10.9.9.9:1");

        Assert.Equal((NodeCtl.Error, "", "nodectl: no peer with address 10.9.9.9:1; nothing forgotten\n"), (run.Code, run.Output, run.Error));
    }
}
