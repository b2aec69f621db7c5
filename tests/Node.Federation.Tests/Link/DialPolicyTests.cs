using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Link.Internal;

namespace Node.Federation.Tests.Link;

/// <summary>
/// One link per pair, decided by each side alone: every case is checked from both ends, each
/// seeing the links as it sees them (which it dialled, which it accepted), with the candidates in
/// both orders.
/// </summary>
public sealed class DialPolicyTests
{
    private static readonly TimeSpan Grace = new PeerLinkOptions().EffectiveAcceptGrace;

    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5, 6, 7, 8];

    // A pair of nodes, lower id first, made from a seed (ids are hashes: which is lower varies by seed).
    private static (NodeId Lower, NodeId Higher) Pair(int seed)
    {
        var random = new Random(seed);
        var (a, b) = (new byte[32], new byte[32]);
        random.NextBytes(a);
        random.NextBytes(b);
        var (x, y) = (NodeId.FromPublicKey(a), NodeId.FromPublicKey(b));
        return x < y ? (x, y) : (y, x);
    }

    // A link as the whole pair sees it: who dialled it and when its stream opened.
    private sealed record Link(string Name, NodeId DialledBy, long At);

    private static LinkCandidate ViewFrom(NodeId side, Link link, long id) => new(id, link.DialledBy == side, link.At);

    // What one side keeps of two links, by name, whichever order it lists them in.
    private static string Kept(NodeId side, NodeId peer, Link first, Link second)
    {
        var policy = new DialPolicy(side, Grace);
        var keep = policy.Keep(peer, ViewFrom(side, first, 1), ViewFrom(side, second, 2));
        var keepSwapped = policy.Keep(peer, ViewFrom(side, second, 2), ViewFrom(side, first, 1));
        Assert.Equal(keep, keepSwapped);
        return keep.Id == 1 ? first.Name : second.Name;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Simultaneous_dials_leave_exactly_one_link_dialled_by_the_lower_id(int seed)
    {
        var (lower, higher) = Pair(seed);
        foreach (var (lowerAt, higherAt) in new[] { (100L, 100L), (100L, 101L), (101L, 100L), (100L, 5_000_000L), (5_000_000L, 100L) })
        {
            var byLower = new Link("dialled by the lower id", lower, lowerAt);
            var byHigher = new Link("dialled by the higher id", higher, higherAt);

            // Both ends keep the same one: the lower id's.
            Assert.Equal(byLower.Name, Kept(lower, higher, byLower, byHigher));
            Assert.Equal(byLower.Name, Kept(higher, lower, byLower, byHigher));

            // Exactly one side ends the other, and it is its listener: the lower id.
            var loserAtLower = ViewFrom(lower, byHigher, 2);
            var loserAtHigher = ViewFrom(higher, byHigher, 2);
            Assert.True(DialPolicy.EndsLoser(loserAtLower));
            Assert.False(DialPolicy.EndsLoser(loserAtHigher));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Of_two_links_dialled_by_the_same_side_both_ends_keep_the_newer(int seed)
    {
        var (lower, higher) = Pair(seed);
        foreach (var dialler in new[] { lower, higher })
        {
            var older = new Link("older", dialler, 100);
            var newer = new Link("newer", dialler, 200);

            Assert.Equal("newer", Kept(lower, higher, older, newer));
            Assert.Equal("newer", Kept(higher, lower, older, newer));

            // The older one's listener ends it; its dialler does not.
            var listener = dialler == lower ? higher : lower;
            Assert.True(DialPolicy.EndsLoser(ViewFrom(listener, older, 1)));
            Assert.False(DialPolicy.EndsLoser(ViewFrom(dialler, older, 1)));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_lower_id_dials_at_once_and_only_while_unlinked(int seed)
    {
        var (lower, higher) = Pair(seed);
        var policy = new DialPolicy(lower, Grace);

        Assert.True(policy.DialsFirst(higher));
        Assert.Equal(TimeSpan.Zero, policy.DialDelay(higher));
        Assert.True(policy.ShouldDial(higher, TimeSpan.Zero, linked: false));
        Assert.False(policy.ShouldDial(higher, TimeSpan.FromHours(1), linked: true));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_higher_id_dials_after_the_grace_when_the_lower_does_not(int seed)
    {
        var (lower, higher) = Pair(seed);
        var policy = new DialPolicy(higher, Grace);

        Assert.False(policy.DialsFirst(lower));
        Assert.Equal(TimeSpan.FromSeconds(20), policy.DialDelay(lower));
        Assert.False(policy.ShouldDial(lower, TimeSpan.Zero, linked: false));
        Assert.False(policy.ShouldDial(lower, TimeSpan.FromSeconds(20) - TimeSpan.FromTicks(1), linked: false));
        Assert.True(policy.ShouldDial(lower, TimeSpan.FromSeconds(20), linked: false));

        // The lower id's link arrived within the grace: the higher one never dials.
        Assert.False(policy.ShouldDial(lower, TimeSpan.FromSeconds(20), linked: true));
        Assert.False(policy.ShouldDial(lower, TimeSpan.FromDays(1), linked: true));
    }

    [Fact]
    public void The_grace_is_the_configured_one()
    {
        var (lower, higher) = Pair(9);
        var policy = new DialPolicy(higher, TimeSpan.FromSeconds(3));

        Assert.False(policy.ShouldDial(lower, TimeSpan.FromSeconds(2.9), linked: false));
        Assert.True(policy.ShouldDial(lower, TimeSpan.FromSeconds(3), linked: false));
    }

    [Fact]
    public void A_node_never_links_to_itself_or_to_no_id()
    {
        var (lower, _) = Pair(10);
        var policy = new DialPolicy(lower, Grace);

        Assert.Throws<ArgumentException>(() => policy.DialsFirst(lower));
        Assert.Throws<ArgumentException>(() => policy.Keep(default, new LinkCandidate(1, true, 1), new LinkCandidate(2, false, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DialPolicy(default, Grace));
    }
}
