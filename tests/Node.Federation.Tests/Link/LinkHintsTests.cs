using Microsoft.Extensions.Time.Testing;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Link.Server;
using Node.Federation.Peers;
using Node.Federation.Trust;

namespace Node.Federation.Tests.Link;

/// <summary>What <c>federation diagnose</c> says of peer links, from the registry and the links' last problems.</summary>
public sealed class LinkHintsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly PeerLinks _links;

    public LinkHintsTests() => _links = new PeerLinks(new InboundLinks(_time), new PeerLinkOptions(), _time);

    private static NodeId Id(byte seed) => NodeId.FromPublicKey(Enumerable.Repeat(seed, 32).ToArray());

    private static PeerEntry Entry(NodeId id, TrustTier tier, string name = "", params string[] addresses) =>
        new(id.ToString(), name, tier, addresses.Length == 0 ? ["192.0.2.1:8102"] : addresses, "static", 0, 0);

    private void Failed(NodeId peer, LinkProblem kind, string problem, TimeSpan? skew = null) =>
        _links.Report(new PeerLinkStatus(peer, LinkState.Never, LinkDirection.Outbound, null, null, Now, problem, Now, kind, skew));

    [Theory]
    [InlineData(LinkProblem.Unreachable, "peer port is unreachable")]
    [InlineData(LinkProblem.TlsFailed, "TLS failed")]
    [InlineData(LinkProblem.CertificateMismatch, "pin check failed")]
    [InlineData(LinkProblem.OtherNode, "another node answers at that address")]
    [InlineData(LinkProblem.BadManifest, "check both clocks")]
    [InlineData(LinkProblem.StaleManifest, "older manifest")]
    [InlineData(LinkProblem.HelloRefused, "refused this node's Hello")]
    [InlineData(LinkProblem.NotTrusted, "does not trust this node")]
    [InlineData(LinkProblem.Lost, "dialled again after a back-off")]
    public void A_wanted_peer_whose_link_failed_gets_one_hint_naming_it_what_failed_and_where_to_look(LinkProblem kind, string look)
    {
        var peer = Id(1);
        Failed(peer, kind, "what the dial said");

        var hint = Assert.Single(LinkHints.For([Entry(peer, TrustTier.External, "kitchen")], _links, Id(9)));

        Assert.StartsWith($"peer {peer} (kitchen) is not linked (never): what the dial said; ", hint, StringComparison.Ordinal);
        Assert.Contains(look, hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Peers_not_wanted_linked_peers_and_this_node_itself_get_none()
    {
        var (unknown, linked, self) = (Id(1), Id(2), Id(3));
        Failed(unknown, LinkProblem.Unreachable, "refused");
        Failed(self, LinkProblem.Unreachable, "refused");
        _links.Report(new PeerLinkStatus(linked, LinkState.Connected, LinkDirection.Outbound, TimeSpan.FromMilliseconds(1), Now, Now, null, null));

        Assert.Empty(LinkHints.For([Entry(unknown, TrustTier.Unknown), Entry(linked, TrustTier.Core), Entry(self, TrustTier.Core)], _links, self));
    }

    [Fact]
    public void A_wanted_peer_with_no_address_is_told_how_to_add_one()
    {
        var peer = Id(4);
        var hint = Assert.Single(LinkHints.For([new PeerEntry(peer.ToString(), "", TrustTier.Sandbox, [], "discovered", 0, 0)], _links, Id(9)));
        Assert.Contains($"nodectl peers add HOST:PORT --id {peer}", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clock_off_by_a_minute_or_more_is_named_even_when_linked_and_a_few_seconds_are_not()
    {
        var (ahead, behind, close) = (Id(5), Id(6), Id(7));
        _links.Report(new PeerLinkStatus(ahead, LinkState.Connected, LinkDirection.Outbound, null, Now, Now, null, null, ClockSkew: TimeSpan.FromMinutes(3)));
        _links.Report(new PeerLinkStatus(behind, LinkState.Connected, LinkDirection.Outbound, null, Now, Now, null, null, ClockSkew: TimeSpan.FromHours(-5)));
        _links.Report(new PeerLinkStatus(close, LinkState.Connected, LinkDirection.Outbound, null, Now, Now, null, null, ClockSkew: TimeSpan.FromSeconds(-20)));

        var hints = LinkHints.For([Entry(ahead, TrustTier.Core), Entry(behind, TrustTier.Core), Entry(close, TrustTier.Core)], _links, Id(9));

        Assert.Equal(2, hints.Count);
        Assert.Contains($"peer {ahead}: its clock is 3 min ahead of this node's", hints[0], StringComparison.Ordinal);
        Assert.Contains($"peer {behind}: its clock is 5.0 h behind this node's", hints[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_static_address_never_reached_is_named_until_it_is_or_is_forgotten()
    {
        _links.ReportLearning("192.0.2.7:8102", new LearningProblem("192.0.2.7:8102", "192.0.2.7:8102: nothing listens there", LinkProblem.Unreachable, Now));
        var hint = Assert.Single(LinkHints.For([], _links, Id(9)));
        Assert.StartsWith("static peer 192.0.2.7:8102 not reached yet (its node id is learnt on the first link): 192.0.2.7:8102: nothing listens there; the peer port is unreachable",
            hint, StringComparison.Ordinal);

        _links.ReportLearning("192.0.2.7:8102", null);
        Assert.Empty(LinkHints.For([], _links, Id(9)));
    }

    [Theory]
    [InlineData(45, "45 s ahead of")]
    [InlineData(-119, "119 s behind")]
    [InlineData(600, "10 min ahead of")]
    [InlineData(-7200, "2.0 h behind")]
    [InlineData(3 * 86400, "3 days ahead of")]
    public void Clock_skew_reads_in_the_unit_that_fits(int seconds, string expected) =>
        Assert.Equal(expected, Clocks.Describe(TimeSpan.FromSeconds(seconds)));
}
