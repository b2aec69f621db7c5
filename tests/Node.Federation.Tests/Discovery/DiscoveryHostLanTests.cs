using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Node.Federation.Discovery;
using Node.Federation.Identity;
using Node.Federation.Peers;
using Node.Federation.Tests.Discovery.Support;
using Node.Federation.Tests.Support;
using Node.Federation.Trust;

namespace Node.Federation.Tests.Discovery;

/// <summary>Two nodes' <see cref="DiscoveryHost"/>s on one simulated link, with real discovery engines and stores.</summary>
public sealed class DiscoveryHostLanTests : IAsyncLifetime
{
    private readonly SteppingTimeProvider _time = new(PeerStore.Start);
    private readonly InMemoryMdnsNetwork _network;
    private readonly List<(PeerStore Store, IdentityHost Identity, DiscoveryHost Host)> _nodes = [];

    public DiscoveryHostLanTests() => _network = new InMemoryMdnsNetwork(_time);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var (store, identity, host) in _nodes)
        {
            await host.StopAsync(Token);
            host.Dispose();
            identity.Dispose();
            await store.DisposeAsync();
        }
    }

    private async Task<(PeerStore Store, NodeId Id, DiscoveryHost Host)> StartNodeAsync(string address, bool enabled = true)
    {
        var store = new PeerStore();
        var identity = IdentityHost.LoadOrCreate(store.Directory, NullLogger<IdentityHost>.Instance);
        var host = new DiscoveryHost(Options.Create(new DiscoveryOptions { Enabled = enabled }), Options.Create(new FederationOptions()), identity,
            store.Peers, _ => _network.Attach("eth0", IPAddress.Parse(address)), _time, NullLoggerFactory.Instance);
        _nodes.Add((store, identity, host));
        await host.StartAsync(Token);
        return (store, identity.Identity.Id, host);
    }

    // Waits on the store's commits (never sleeps) until the condition holds.
    private static async Task UntilAsync(PeerStore store, Func<bool> condition)
    {
        while (true)
        {
            var committed = store.Store.Writer.Committed.Next;
            if (condition())
            {
                return;
            }

            await committed.WaitAsync(TimeSpan.FromSeconds(10), Token);
        }
    }

    [Fact]
    public async Task Each_node_records_the_other_as_an_unknown_mdns_peer_and_never_itself()
    {
        var a = await StartNodeAsync("10.0.0.1");
        var b = await StartNodeAsync("10.0.0.2");

        _time.Advance(TimeSpan.FromSeconds(5));
        await UntilAsync(a.Store, () => a.Store.Peers.List().Count > 0);
        await UntilAsync(b.Store, () => b.Store.Peers.List().Count > 0);

        var seenByA = Assert.Single(a.Store.Peers.List());
        Assert.Equal((b.Id.ToString(), TrustTier.Unknown, "mdns"), (seenByA.NodeId, seenByA.Tier, seenByA.Source));
        Assert.Contains("10.0.0.2:8102", seenByA.Addresses);
        Assert.Equal(a.Id.ToString(), Assert.Single(b.Store.Peers.List()).NodeId);
        Assert.Equal("peer.discovered", Assert.Single(a.Store.PeerEvents()).Kind);
    }

    [Fact]
    public async Task A_peer_that_stops_says_goodbye_and_is_recorded_lost_but_kept()
    {
        var a = await StartNodeAsync("10.0.0.1");
        var b = await StartNodeAsync("10.0.0.2");
        _time.Advance(TimeSpan.FromSeconds(5));
        await UntilAsync(a.Store, () => a.Store.Peers.List().Count > 0);

        await b.Host.StopAsync(Token);
        _time.Advance(TimeSpan.FromSeconds(2));
        await UntilAsync(a.Store, () => a.Store.PeerEvents().Any(e => e.Kind == "peer.lost"));

        Assert.Equal(b.Id.ToString(), a.Store.PeerEvents()[^1].Payload.GetProperty("node").GetString());
        Assert.Single(a.Store.Peers.List());
    }

    [Fact]
    public async Task Discover_queries_now_and_gives_what_answered_within_the_wait()
    {
        var a = await StartNodeAsync("10.0.0.1");
        var b = await StartNodeAsync("10.0.0.2");
        _time.Advance(TimeSpan.FromSeconds(5));

        var discovering = a.Host.DiscoverAsync(TimeSpan.FromSeconds(2), Token);
        _time.Advance(TimeSpan.FromSeconds(2));
        var answered = await discovering.WaitAsync(TimeSpan.FromSeconds(10), Token);

        var service = Assert.Single(answered);
        Assert.Equal(b.Id, service.NodeId);
        Assert.Equal("eth0", a.Host.InterfaceName(service.InterfaceIndex));
    }

    [Fact]
    public async Task Diagnose_shows_the_link_joined_and_traffic_and_no_hints()
    {
        var a = await StartNodeAsync("10.0.0.1");
        await StartNodeAsync("10.0.0.2");
        _time.Advance(TimeSpan.FromSeconds(5));

        var diagnosis = a.Host.Discovery!.Diagnose();

        var link = Assert.Single(diagnosis.Links);
        Assert.Equal("eth0", link.Link.Name);
        Assert.True(link.Link.PacketsReceived > 0);
        Assert.Empty(DiscoveryHints.For(true, null, diagnosis, []));
    }
}
