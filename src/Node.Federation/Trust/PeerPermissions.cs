using System.Diagnostics;
using Node.Federation.Link;
using Node.Protocol.Packets;
using Node.Storage.Packets;

namespace Node.Federation.Trust;

/// <summary>
/// What a peer of each trust tier may do here (ARCHITECTURE.md, "Identity, manifests and trust"):
/// the one place the server side of every peer call asks. <c>unknown</c> gets <c>Hello</c> and
/// nothing else; <c>external</c> may hold a link and <c>Query</c> shareable slots; <c>sandbox</c>
/// and <c>core</c> may also sync (their RPCs come with sync), core seeing <c>CORE</c> packets too.
/// Trust never propagates: a tier is what this node's operator gave that node id, nothing a peer says.
/// </summary>
public static class PeerPermissions
{
    /// <summary>The lowest tier admitted to <paramref name="method"/>.</summary>
    public static TrustTier Minimum(PeerMethod method) => method switch
    {
        PeerMethod.Hello => TrustTier.Unknown,
        PeerMethod.Heartbeat or PeerMethod.Query => TrustTier.External,
        PeerMethod.CatchUp or PeerMethod.Reconcile or PeerMethod.Fetch => TrustTier.Sandbox,
        _ => throw new UnreachableException($"Unhandled peer method {method}."),
    };

    /// <summary>Whether a peer of <paramref name="tier"/> may call <paramref name="method"/>.</summary>
    public static bool Allows(TrustTier tier, PeerMethod method) => tier >= Minimum(method);

    /// <summary>
    /// The share scopes of the packets a peer of <paramref name="tier"/> may see: its view of our
    /// store. <c>LOCAL</c> is in no view; quarantined packets are not in the knowledge base at all.
    /// </summary>
    public static IReadOnlyList<ShareScope> Visible(TrustTier tier) => tier switch
    {
        TrustTier.Core => CoreView,
        TrustTier.Sandbox or TrustTier.External => ShareableView,
        _ => [],
    };

    /// <summary>
    /// Whether a packet of <paramref name="scope"/> is in the view of a peer of <paramref name="tier"/>
    /// (an external peer's view is for <c>Query</c> only; it gets nothing by sync).
    /// </summary>
    public static bool Sees(TrustTier tier, ShareScope scope) => Visible(tier).Contains(scope);

    /// <summary>
    /// The narrowest scope in the sync view of a peer of <paramref name="tier"/> (the view is that
    /// scope and wider): <c>CORE</c> for core, <c>SHAREABLE</c> for sandbox, null for those who get
    /// nothing by sync.
    /// </summary>
    public static PacketScope? SyncView(TrustTier tier) => tier switch
    {
        TrustTier.Core => PacketScope.Core,
        TrustTier.Sandbox => PacketScope.Shareable,
        _ => null,
    };

    private static readonly ShareScope[] CoreView = [ShareScope.Core, ShareScope.Shareable];
    private static readonly ShareScope[] ShareableView = [ShareScope.Shareable];
}
