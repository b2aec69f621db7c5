using CsCheck;
using Node.Federation.Link;
using Node.Federation.Trust;
using Node.Protocol.Packets;

namespace Node.Federation.Tests.Link;

/// <summary>The trust table of ARCHITECTURE.md, as the server side of every peer call applies it.</summary>
public sealed class PeerPermissionsTests
{
    // The table as the architecture writes it: tier → methods it may call, scopes it sees.
    public static TheoryData<TrustTier, PeerMethod[], ShareScope[]> Table => new()
    {
        { TrustTier.Unknown, [PeerMethod.Hello], [] },
        { TrustTier.External, [PeerMethod.Hello, PeerMethod.Heartbeat, PeerMethod.Query], [ShareScope.Shareable] },
        { TrustTier.Sandbox, [PeerMethod.Hello, PeerMethod.Heartbeat, PeerMethod.Query, PeerMethod.CatchUp, PeerMethod.Reconcile, PeerMethod.Fetch], [ShareScope.Shareable] },
        { TrustTier.Core, [PeerMethod.Hello, PeerMethod.Heartbeat, PeerMethod.Query, PeerMethod.CatchUp, PeerMethod.Reconcile, PeerMethod.Fetch], [ShareScope.Core, ShareScope.Shareable] },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Tier_table_matches_the_architecture(TrustTier tier, PeerMethod[] allowed, ShareScope[] visible)
    {
        Assert.Equal(allowed, PeerMethods.All.Where(m => PeerPermissions.Allows(tier, m)));
        Assert.Equal(visible.Order(), PeerPermissions.Visible(tier).Order());
    }

    [Fact]
    public void Sync_views_are_core_for_core_shareable_for_sandbox_and_none_below()
    {
        Assert.Equal(Node.Storage.Packets.PacketScope.Core, PeerPermissions.SyncView(TrustTier.Core));
        Assert.Equal(Node.Storage.Packets.PacketScope.Shareable, PeerPermissions.SyncView(TrustTier.Sandbox));
        Assert.Null(PeerPermissions.SyncView(TrustTier.External));
        Assert.Null(PeerPermissions.SyncView(TrustTier.Unknown));
        Assert.All(PeerMethods.All.Where(PeerMethods.IsSync), m => Assert.Equal(TrustTier.Sandbox, PeerPermissions.Minimum(m)));
    }

    [Fact]
    public void Every_method_has_a_minimum_tier_and_every_tier_is_in_the_table()
    {
        Assert.All(PeerMethods.All, m => Assert.True(Enum.IsDefined(PeerPermissions.Minimum(m))));
        Assert.Equal(Enum.GetValues<TrustTier>().Order(), Table.Select(row => (TrustTier)row.Data.Item1).Order());
    }

    [Fact]
    public void Permissions_grow_with_the_tier_and_no_view_holds_local_packets() =>
        Gen.Select(Gen.Enum<TrustTier>(), Gen.Enum<TrustTier>(), Gen.Enum<PeerMethod>(), Gen.Enum<ShareScope>()).Sample((a, b, method, scope) =>
        {
            var (low, high) = a <= b ? (a, b) : (b, a);
            Assert.False(PeerPermissions.Allows(low, method) && !PeerPermissions.Allows(high, method));
            Assert.False(PeerPermissions.Sees(low, scope) && !PeerPermissions.Sees(high, scope));
            Assert.False(PeerPermissions.Sees(a, ShareScope.Local));
            Assert.False(PeerPermissions.Sees(a, ShareScope.Unspecified));
        });

    [Fact]
    public void Paths_name_methods_exactly_and_garbage_never_throws()
    {
        Assert.True(PeerMethods.TryFromPath("/sovereign.peer.v1.PeerService/Hello", out var hello));
        Assert.Equal(PeerMethod.Hello, hello);
        Assert.False(PeerMethods.TryFromPath("/sovereign.peer.v1.PeerService/hello", out _));
        Assert.False(PeerMethods.TryFromPath("/sovereign.api.v1.NodeService/GetStatus", out _));
        Assert.False(PeerMethods.TryFromPath("/sovereign.peer.v1.PeerService/Hello/x", out _));
        Assert.False(PeerMethods.TryFromPath(null, out _));
        Gen.String.Sample(path => PeerMethods.TryFromPath(path, out _) == PeerMethods.All.Any(m => path == "/sovereign.peer.v1.PeerService/" + m));
    }
}
