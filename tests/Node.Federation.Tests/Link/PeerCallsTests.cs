using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Link.Server;
using Node.Federation.Trust;

namespace Node.Federation.Tests.Link;

/// <summary>Open calls end when the caller's tier drops below what their method needs, and only those.</summary>
public sealed class PeerCallsTests
{
    [Fact]
    public void A_tier_drop_revokes_the_calls_it_no_longer_allows_and_leaves_others()
    {
        var calls = new PeerCalls();
        using var a = NodeIdentity.CreateEphemeral();
        using var b = NodeIdentity.CreateEphemeral();
        using var heartbeat = calls.Open(a.Id, TrustTier.External, PeerMethod.Heartbeat, CancellationToken.None);
        using var hello = calls.Open(a.Id, TrustTier.External, PeerMethod.Hello, CancellationToken.None);
        using var other = calls.Open(b.Id, TrustTier.External, PeerMethod.Query, CancellationToken.None);

        var revoked = calls.OnTierChanged(a.Id, TrustTier.Unknown);

        Assert.Equal([heartbeat], revoked);
        Assert.True(heartbeat.Token.IsCancellationRequested);
        Assert.Equal($"Heartbeat needs tier external; node {a.Id} is now 'unknown' here", heartbeat.RevokedReason);
        Assert.False(hello.Token.IsCancellationRequested);
        Assert.False(other.Token.IsCancellationRequested);
        Assert.Empty(calls.OnTierChanged(b.Id, TrustTier.Sandbox));
    }

    [Fact]
    public void A_call_that_ended_is_forgotten()
    {
        var calls = new PeerCalls();
        using var a = NodeIdentity.CreateEphemeral();
        var call = calls.Open(a.Id, TrustTier.Core, PeerMethod.Query, CancellationToken.None);
        Assert.Equal(1, calls.Count);

        call.Dispose();

        Assert.Equal(0, calls.Count);
        Assert.Empty(calls.OnTierChanged(a.Id, TrustTier.Unknown));
    }

    [Fact]
    public void A_sync_call_ends_when_the_callers_view_changes_either_way_while_a_query_goes_on()
    {
        var calls = new PeerCalls();
        using var a = NodeIdentity.CreateEphemeral();
        using var catchUp = calls.Open(a.Id, TrustTier.Core, PeerMethod.CatchUp, CancellationToken.None);
        using var query = calls.Open(a.Id, TrustTier.Core, PeerMethod.Query, CancellationToken.None);

        var revoked = calls.OnTierChanged(a.Id, TrustTier.Sandbox);

        Assert.Equal([catchUp], revoked);
        Assert.Equal($"CatchUp: node {a.Id} is now 'sandbox' here, its view changed", catchUp.RevokedReason);
        Assert.False(query.Token.IsCancellationRequested);

        using var fetch = calls.Open(a.Id, TrustTier.Sandbox, PeerMethod.Fetch, CancellationToken.None);
        Assert.Equal([fetch], calls.OnTierChanged(a.Id, TrustTier.Core));
        using var reconcile = calls.Open(a.Id, TrustTier.Sandbox, PeerMethod.Reconcile, CancellationToken.None);
        Assert.Contains(reconcile, calls.OnTierChanged(a.Id, TrustTier.External));
        Assert.StartsWith("Reconcile needs tier sandbox", reconcile.RevokedReason, StringComparison.Ordinal);
    }
}
