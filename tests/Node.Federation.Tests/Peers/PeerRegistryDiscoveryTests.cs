using System.Security.Cryptography;
using Node.Federation.Identity;
using Node.Federation.Tests.Support;
using Node.Federation.Trust;

namespace Node.Federation.Tests.Peers;

public sealed class PeerRegistryDiscoveryTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static NodeId SomeNode() => NodeId.FromPublicKey(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_new_peer_is_registered_unknown_from_mdns_seen_now_with_a_discovered_event()
    {
        await using var store = new PeerStore();
        var id = SomeNode();

        var peer = await store.Peers.RecordDiscoveredAsync(id, "sovereign-abc", ["10.0.0.2:8102", "[fe80::2%2]:8102"], Token);

        var now = PeerStore.Start.ToUnixTimeMilliseconds();
        Assert.Equal((id.ToString(), "sovereign-abc", TrustTier.Unknown, "mdns", now, now),
            (peer.NodeId, peer.Name, peer.Tier, peer.Source, peer.FirstSeenAt, peer.LastSeenAt));
        Assert.Equal(["10.0.0.2:8102", "[fe80::2%2]:8102"], peer.Addresses);
        var (kind, payload) = Assert.Single(store.PeerEvents());
        Assert.Equal("peer.discovered", kind);
        Assert.Equal(id.ToString(), payload.GetProperty("node").GetString());
        Assert.Equal(["10.0.0.2:8102", "[fe80::2%2]:8102"], payload.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Seen_again_at_the_same_addresses_only_last_seen_moves_and_no_event_is_added()
    {
        await using var store = new PeerStore();
        var id = SomeNode();
        await store.Peers.RecordDiscoveredAsync(id, "sovereign-abc", ["10.0.0.2:8102"], Token);

        store.Time.Advance(TimeSpan.FromMinutes(5));
        var peer = await store.Peers.RecordDiscoveredAsync(id, "sovereign-abc", ["10.0.0.2:8102"], Token);

        Assert.Equal(PeerStore.Start.ToUnixTimeMilliseconds(), peer.FirstSeenAt);
        Assert.Equal((PeerStore.Start + TimeSpan.FromMinutes(5)).ToUnixTimeMilliseconds(), peer.LastSeenAt);
        Assert.Equal(["peer.discovered"], store.PeerEvents().Select(e => e.Kind));
    }

    [Fact]
    public async Task New_addresses_are_recorded_with_a_changed_event()
    {
        await using var store = new PeerStore();
        var id = SomeNode();
        await store.Peers.RecordDiscoveredAsync(id, "sovereign-abc", ["10.0.0.2:8102"], Token);

        var peer = await store.Peers.RecordDiscoveredAsync(id, "sovereign-abc", ["10.0.0.9:8102"], Token);

        Assert.Equal(["10.0.0.9:8102"], peer.Addresses);
        Assert.Equal(["peer.discovered", "peer.changed"], store.PeerEvents().Select(e => e.Kind));
        Assert.Equal(["10.0.0.9:8102"], store.PeerEvents()[^1].Payload.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task A_trusted_static_peer_found_by_mdns_keeps_its_tier_source_and_name()
    {
        await using var store = new PeerStore();
        var id = SomeNode();
        await store.Peers.AddStaticAsync("pantry.local:8102", id, "pantry", Token);
        await store.Peers.SetTrustAsync(id, TrustTier.Core, "ours", "test", Token);

        var peer = await store.Peers.RecordDiscoveredAsync(id, "sovereign-abc", ["10.0.0.2:8102"], Token);

        Assert.Equal((TrustTier.Core, "static", "pantry"), (peer.Tier, peer.Source, peer.Name));
        Assert.Contains("10.0.0.2:8102", peer.Addresses);
        Assert.Equal(PeerStore.Start.ToUnixTimeMilliseconds(), peer.LastSeenAt);
        Assert.Equal(["peer.added", "peer.trust_changed", "peer.changed"], store.PeerEvents().Select(e => e.Kind));
    }

    [Fact]
    public async Task A_lost_peer_stays_known_and_its_loss_is_an_event()
    {
        await using var store = new PeerStore();
        var id = SomeNode();
        await store.Peers.RecordDiscoveredAsync(id, "sovereign-abc", ["10.0.0.2:8102"], Token);

        Assert.True(await store.Peers.RecordLostAsync(id, Token));

        Assert.Equal(id.ToString(), Assert.Single(store.Peers.List()).NodeId);
        var (kind, payload) = store.PeerEvents()[^1];
        Assert.Equal(("peer.lost", id.ToString()), (kind, payload.GetProperty("node").GetString()));
    }

    [Fact]
    public async Task Losing_a_peer_never_known_records_nothing()
    {
        await using var store = new PeerStore();

        Assert.False(await store.Peers.RecordLostAsync(SomeNode(), Token));

        Assert.Empty(store.PeerEvents());
    }
}
