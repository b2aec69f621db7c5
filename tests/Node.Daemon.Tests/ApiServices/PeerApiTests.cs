using System.Security.Cryptography;
using System.Text.Json;
using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Federation.Identity;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>PeerService over the real socket of an in-process node.</summary>
public sealed class PeerApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string OtherNodeId() => NodeId.FromPublicKey(RandomNumberGenerator.GetBytes(32)).ToString();

    private static async Task<RpcException> Refused<T>(Func<AsyncUnaryCall<T>> call) =>
        await Assert.ThrowsAsync<RpcException>(() => call().ResponseAsync);

    [Fact]
    public async Task A_peer_added_with_a_node_id_is_registered_at_once_and_one_without_waits_for_its_manifest()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new PeerService.PeerServiceClient(node.Channel);
        var id = OtherNodeId();

        var known = await client.AddAsync(new AddPeerRequest { Address = "Peer.Example:7400", NodeId = id, Name = "kitchen" }, cancellationToken: Token);
        var unknown = await client.AddAsync(new AddPeerRequest { Address = "[0:0:0:0:0:0:0:1]:7400" }, cancellationToken: Token);
        var list = await client.ListAsync(new ListPeersRequest(), cancellationToken: Token);

        Assert.Equal(id, known.NodeId);
        Assert.Equal("kitchen", known.Name);
        Assert.Equal(TrustTier.Unknown, known.Tier);
        Assert.Equal("static", known.Source);
        Assert.Equal(["peer.example:7400"], known.Addresses);
        Assert.Equal("", unknown.NodeId);
        Assert.Equal(["[::1]:7400"], unknown.Addresses);
        Assert.Equal(2, list.Peers.Count);
        Assert.Contains(list.Peers, p => p.NodeId == id && p.Addresses.SequenceEqual(["peer.example:7400"]));
        Assert.Contains(list.Peers, p => p.NodeId == "" && p.Addresses.SequenceEqual(["[::1]:7400"]));
    }

    public static TheoryData<string> BadAddresses =>
    [
        "", "no-port", "host:", ":7400", "host:0", "host:65536", "host:http", "2001:db8::1:7400", "[not-v6]:7400", "bad_host!:7400",
    ];

    [Theory]
    [MemberData(nameof(BadAddresses))]
    public async Task A_bad_address_is_refused_naming_the_address(string address)
    {
        await using var node = await ApiNode.StartAsync();
        var client = new PeerService.PeerServiceClient(node.Channel);

        var refused = await Refused(() => client.AddAsync(new AddPeerRequest { Address = address }, cancellationToken: Token));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("address: ", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await client.ListAsync(new ListPeersRequest(), cancellationToken: Token)).Peers);
    }

    [Fact]
    public async Task A_node_id_with_a_bad_checksum_and_the_nodes_own_id_are_refused()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new PeerService.PeerServiceClient(node.Channel);
        var own = (await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Token)).NodeId;
        var id = OtherNodeId();
        var last = id[^1] == 'A' ? 'B' : 'A'; // one character changed: the check characters no longer match
        var misspelt = id[..^1] + last;

        var badChecksum = await Refused(() => client.AddAsync(new AddPeerRequest { Address = "h:1", NodeId = misspelt }, cancellationToken: Token));
        var ownId = await Refused(() => client.AddAsync(new AddPeerRequest { Address = "h:1", NodeId = own }, cancellationToken: Token));

        Assert.Equal(StatusCode.InvalidArgument, badChecksum.StatusCode);
        Assert.StartsWith("node_id: ", badChecksum.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, ownId.StatusCode);
        Assert.Equal("node_id: is this node's own id", ownId.Status.Detail);
        Assert.Empty((await client.ListAsync(new ListPeersRequest(), cancellationToken: Token)).Peers);
    }

    [Fact]
    public async Task Setting_the_trust_of_an_unknown_peer_is_not_found_and_no_tier_is_refused()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new PeerService.PeerServiceClient(node.Channel);
        var id = OtherNodeId();

        var refused = await Refused(() => client.SetTrustAsync(new SetTrustRequest { NodeId = id, Tier = TrustTier.Core }, cancellationToken: Token));

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Contains(id, refused.Status.Detail, StringComparison.Ordinal);
        await client.AddAsync(new AddPeerRequest { Address = "127.0.0.7:9", NodeId = id }, cancellationToken: Token);
        var noTier = await Refused(() => client.SetTrustAsync(new SetTrustRequest { NodeId = id }, cancellationToken: Token));
        Assert.Equal(StatusCode.InvalidArgument, noTier.StatusCode);
        Assert.StartsWith("tier: ", noTier.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trust_change_is_recorded_in_the_event_log_with_from_to_and_reason()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new PeerService.PeerServiceClient(node.Channel);
        var id = OtherNodeId();
        await client.AddAsync(new AddPeerRequest { Address = "127.0.0.7:9", NodeId = id }, cancellationToken: Token);

        var peer = await client.SetTrustAsync(new SetTrustRequest { NodeId = id, Tier = TrustTier.Sandbox, Reason = "met at the meetup" },
            cancellationToken: Token);

        Assert.Equal(TrustTier.Sandbox, peer.Tier);
        var log = new LogService.LogServiceClient(node.Channel);
        using var tail = log.Tail(new TailLogRequest { Last = 5 }, cancellationToken: Token);
        var events = await tail.ResponseStream.ReadAllAsync(Token).ToListAsync(Token);
        var changed = Assert.Single(events, e => e.Kind == "peer.trust_changed");
        Assert.Equal(events[^1], changed);
        using var payload = JsonDocument.Parse(changed.Payload);
        Assert.Equal(id, payload.RootElement.GetProperty("node").GetString());
        Assert.Equal("unknown", payload.RootElement.GetProperty("from").GetString());
        Assert.Equal("sandbox", payload.RootElement.GetProperty("to").GetString());
        Assert.Equal("met at the meetup", payload.RootElement.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(payload.RootElement.GetProperty("by").GetString()));
    }

    [Fact]
    public async Task A_peer_is_forgotten_by_node_id_or_by_address_and_an_unknown_one_is_not_found()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new PeerService.PeerServiceClient(node.Channel);
        var id = OtherNodeId();
        await client.AddAsync(new AddPeerRequest { Address = "127.0.0.7:9", NodeId = id }, cancellationToken: Token);
        await client.AddAsync(new AddPeerRequest { Address = "127.0.0.8:9" }, cancellationToken: Token);

        var byId = await client.ForgetAsync(new ForgetPeerRequest { NodeId = id }, cancellationToken: Token);
        var byAddress = await client.ForgetAsync(new ForgetPeerRequest { Address = "127.0.0.8:9" }, cancellationToken: Token);
        var again = await Refused(() => client.ForgetAsync(new ForgetPeerRequest { NodeId = id }, cancellationToken: Token));
        var noAddress = await Refused(() => client.ForgetAsync(new ForgetPeerRequest { Address = "127.0.0.9:9" }, cancellationToken: Token));
        var nothing = await Refused(() => client.ForgetAsync(new ForgetPeerRequest(), cancellationToken: Token));

        Assert.True(byId.Forgotten >= 1);
        Assert.Equal(1, byAddress.Forgotten);
        Assert.Empty((await client.ListAsync(new ListPeersRequest(), cancellationToken: Token)).Peers);
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
        Assert.Contains(id, again.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, noAddress.StatusCode);
        Assert.Contains("127.0.0.9:9", noAddress.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, nothing.StatusCode);
        Assert.StartsWith("selector: ", nothing.Status.Detail, StringComparison.Ordinal);
    }
}
