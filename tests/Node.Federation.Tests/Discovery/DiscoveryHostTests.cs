using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Node.Federation.Discovery;
using Node.Federation.Discovery.Dns;
using Node.Federation.Identity;
using Node.Federation.Peers;
using Node.Federation.Tests.Support;
using Node.Federation.Trust;

namespace Node.Federation.Tests.Discovery;

/// <summary>What <see cref="DiscoveryHost"/> makes of discovery's changes, given to it directly.</summary>
public sealed class DiscoveryHostTests : IAsyncLifetime
{
    private readonly PeerStore _store = new();
    private IdentityHost _identity = null!;
    private DiscoveryHost _host = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _identity = IdentityHost.LoadOrCreate(_store.Directory, NullLogger<IdentityHost>.Instance);
        _host = new DiscoveryHost(Options.Create(new DiscoveryOptions()), Options.Create(new FederationOptions()), _identity,
            _store.Peers, _ => throw new InvalidOperationException("No link in these tests."), _store.Time,
            NullLoggerFactory.Instance);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        _identity.Dispose();
        await _store.DisposeAsync();
    }

    private DiscoveredService Service(NodeId? id, params string[] addresses)
    {
        var label = id?.ToString() ?? "stranger";
        var txt = new Dictionary<string, string> { ["txtvers"] = "1", ["proto"] = "1" };
        if (id is { } node)
        {
            txt["id"] = node.ToString();
        }

        return new DiscoveredService(DnsName.Parse($"{label}._sovereign._tcp.local"), DnsName.Parse("sovereign-peer.local"), 8102,
            [.. addresses.Select(IPAddress.Parse)], txt, 2, _store.Time.GetUtcNow());
    }

    private static NodeId SomeNode() => NodeId.FromPublicKey(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_found_peer_is_recorded_unknown_from_mdns_at_its_addresses_and_port()
    {
        var id = SomeNode();

        await _host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Found, Service(id, "10.0.0.2", "fe80::2%2")), Token);

        var peer = Assert.Single(_store.Peers.List());
        Assert.Equal((id.ToString(), TrustTier.Unknown, "mdns", "sovereign-peer"), (peer.NodeId, peer.Tier, peer.Source, peer.Name));
        Assert.Equal(["10.0.0.2:8102", "[fe80::2%2]:8102"], peer.Addresses);
        Assert.Equal(["peer.discovered"], _store.PeerEvents().Select(e => e.Kind));
    }

    [Fact]
    public async Task A_peer_is_listed_under_the_name_its_txt_gives_when_that_name_is_fit_to_show()
    {
        var named = SomeNode();
        var garbled = SomeNode();
        var withName = Service(named, "10.0.0.2");
        var withBadName = Service(garbled, "10.0.0.3");
        ((Dictionary<string, string>)withName.Txt)["name"] = "pantry";
        ((Dictionary<string, string>)withBadName.Txt)["name"] = "evil\u001b[2Jname";

        await _host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Found, withName), Token);
        await _host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Found, withBadName), Token);

        Assert.Equal("pantry", _store.Peers.List().Single(p => p.NodeId == named.ToString()).Name);
        Assert.Equal("sovereign-peer", _store.Peers.List().Single(p => p.NodeId == garbled.ToString()).Name);
    }

    [Fact]
    public async Task A_changed_peer_gets_its_new_addresses()
    {
        var id = SomeNode();
        await _host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Found, Service(id, "10.0.0.2")), Token);

        await _host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Changed, Service(id, "10.0.0.3")), Token);

        Assert.Equal(["10.0.0.3:8102"], Assert.Single(_store.Peers.List()).Addresses);
        Assert.Equal(["peer.discovered", "peer.changed"], _store.PeerEvents().Select(e => e.Kind));
    }

    [Fact]
    public async Task Our_own_announcement_heard_back_is_ignored()
    {
        await _host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Found, Service(_identity.Identity.Id, "10.0.0.1")), Token);

        Assert.Empty(_store.Peers.List());
        Assert.Empty(_store.PeerEvents());
    }

    [Fact]
    public async Task A_service_without_a_valid_node_id_is_ignored()
    {
        await _host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Found, Service(null, "10.0.0.2")), Token);

        Assert.Empty(_store.Peers.List());
    }

    [Fact]
    public async Task A_lost_peer_stays_in_the_registry_and_its_loss_is_logged_as_an_event()
    {
        var id = SomeNode();
        await _host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Found, Service(id, "10.0.0.2")), Token);

        await _host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Lost, Service(id, "10.0.0.2")), Token);

        Assert.Single(_store.Peers.List());
        Assert.Equal(["peer.discovered", "peer.lost"], _store.PeerEvents().Select(e => e.Kind));
    }

    [Fact]
    public async Task Found_and_lost_peers_are_logged_one_line_each_with_where_and_why()
    {
        var logs = new FakeLogCollector();
        using var loggers = new LoggerFactory([new FakeLoggerProvider(logs)]);
        using var host = new DiscoveryHost(Options.Create(new DiscoveryOptions()), Options.Create(new FederationOptions()), _identity,
            _store.Peers, _ => throw new InvalidOperationException("No link in these tests."), _store.Time, loggers);
        var id = SomeNode();

        var lastHeard = Service(id, "10.0.0.2");
        await host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Found, Service(id, "10.0.0.2", "fe80::2%2")), Token);
        _store.Time.Advance(TimeSpan.FromMinutes(2));
        await host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Lost, lastHeard, LossReason.Expired), Token);
        await host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Lost, lastHeard, LossReason.Goodbye), Token);
        await host.RecordAsync(new DiscoveryChange(DiscoveryChangeKind.Lost, lastHeard, LossReason.InterfaceGone), Token);

        Assert.Equal(
            [
                (LogLevel.Information, $"Peer {id} found by mDNS at 10.0.0.2:8102, [fe80::2%2]:8102 on #2"),
                (LogLevel.Information, $"Peer {id} lost (records expired on #2; last heard 120 s ago)"),
                (LogLevel.Information, $"Peer {id} lost (goodbye on #2)"),
                (LogLevel.Information, $"Peer {id} lost (#2 went away)"),
            ],
            logs.GetSnapshot().Where(e => e.Category?.EndsWith(nameof(DiscoveryHost), StringComparison.Ordinal) == true).Select(e => (e.Level, e.Message)));
    }

    [Fact]
    public async Task Switched_off_it_starts_no_link_and_has_no_engine()
    {
        var off = new DiscoveryHost(Options.Create(new DiscoveryOptions { Enabled = false }), Options.Create(new FederationOptions()), _identity,
            _store.Peers, _ => throw new InvalidOperationException("A link was made."), _store.Time,
            NullLoggerFactory.Instance);

        await off.StartAsync(Token);

        Assert.False(off.Enabled);
        Assert.Null(off.Discovery);
        await Assert.ThrowsAsync<InvalidOperationException>(() => off.DiscoverAsync(TimeSpan.FromSeconds(1), Token));
        await off.StopAsync(Token);
        off.Dispose();
    }

    [Fact]
    public async Task A_link_that_fails_when_started_is_let_go_and_the_reason_kept()
    {
        var link = new RefusingTransport();
        var broken = new DiscoveryHost(Options.Create(new DiscoveryOptions()), Options.Create(new FederationOptions()), _identity,
            _store.Peers, _ => link, _store.Time, NullLoggerFactory.Instance);

        await broken.StartAsync(Token);

        Assert.Null(broken.Discovery);
        Assert.Equal("No multicast here.", broken.StartError);
        Assert.True(link.Disposed);
        await broken.StopAsync(Token);
        broken.Dispose();
    }

    private sealed class RefusingTransport : IMdnsTransport
    {
        public bool Disposed { get; private set; }

        public IReadOnlyList<MdnsInterface> Interfaces => [];

        public void Start(IMdnsTransportSink sink) => throw new NotSupportedException("No multicast here.");

        public void SendMulticast(int interfaceIndex, ReadOnlySpan<byte> packet)
        {
        }

        public void SendUnicast(int interfaceIndex, IPEndPoint destination, ReadOnlySpan<byte> packet)
        {
        }

        public IReadOnlyList<MdnsLinkStatistics> Statistics() => [];

        public void Dispose() => Disposed = true;
    }

    [Fact]
    public async Task A_link_that_cannot_be_set_up_leaves_the_node_running_and_says_why()
    {
        var broken = new DiscoveryHost(Options.Create(new DiscoveryOptions()), Options.Create(new FederationOptions()), _identity,
            _store.Peers, _ => throw new System.Net.Sockets.SocketException(98), _store.Time,
            NullLoggerFactory.Instance);

        await broken.StartAsync(Token);

        Assert.Null(broken.Discovery);
        Assert.NotNull(broken.StartError);
        await broken.StopAsync(Token);
        broken.Dispose();
    }
}
