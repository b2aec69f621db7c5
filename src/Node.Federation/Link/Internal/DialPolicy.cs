using Node.Federation.Identity;

namespace Node.Federation.Link.Internal;

/// <summary>
/// One link per pair of nodes, whichever side dialled (docs/design/peer-link.md §7; docs/protocol.md,
/// "Peer link"): the node with the lower id (<see cref="NodeId.CompareTo"/>) dials as soon as it wants
/// the link; the higher one dials only when no link from the peer arrived within the accept grace
/// since it started wanting one (the peer may not know our address, may hold us as unknown, or a
/// firewall may block one direction). Of two live links for a pair, the one dialled by the lower id
/// is kept; of two dialled by the same side, the newer. Each side decides alone from its own id, the
/// peer's and who dialled each link: both reach the same answer with no message exchanged.
/// </summary>
/// <remarks>Pure and thread-safe.</remarks>
internal sealed class DialPolicy
{
    private readonly TimeSpan _acceptGrace;

    /// <param name="self">This node's id.</param>
    /// <param name="acceptGrace">How long the higher id waits for the lower to dial (<see cref="PeerLinkOptions.EffectiveAcceptGrace"/>).</param>
    public DialPolicy(NodeId self, TimeSpan acceptGrace)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(self.IsEmpty, true, nameof(self));
        ArgumentOutOfRangeException.ThrowIfLessThan(acceptGrace, TimeSpan.Zero);
        Self = self;
        _acceptGrace = acceptGrace;
    }

    /// <summary>This node's id.</summary>
    public NodeId Self { get; }

    /// <summary>Whether this node is the one of the pair that dials first (it has the lower id).</summary>
    public bool DialsFirst(NodeId peer) => Self.CompareTo(Checked(peer)) < 0;

    /// <summary>How long after starting to want a link to <paramref name="peer"/> this node dials it: at once, or after the accept grace.</summary>
    public TimeSpan DialDelay(NodeId peer) => DialsFirst(peer) ? TimeSpan.Zero : _acceptGrace;

    /// <summary>
    /// Whether to dial <paramref name="peer"/> now, having wanted a link to it for <paramref name="wantedFor"/>
    /// (since it became wanted, or since the last link ended) with <paramref name="linked"/> telling
    /// whether a link to it (either way) is up.
    /// </summary>
    public bool ShouldDial(NodeId peer, TimeSpan wantedFor, bool linked) => !linked && wantedFor >= DialDelay(peer);

    /// <summary>
    /// Of two live links with <paramref name="peer"/>, the one to keep: the one dialled by the lower
    /// id; when the same side dialled both, the newer (the older is stale). The other ends: its
    /// listener ends its heartbeat with ALREADY_EXISTS (<see cref="EndsLoser"/>), its dialler takes
    /// that as success.
    /// </summary>
    public LinkCandidate Keep(NodeId peer, LinkCandidate first, LinkCandidate second)
    {
        var lowerDials = DialsFirst(peer);
        if (first.WeDialled != second.WeDialled)
        {
            // The lower id's link: ours when we are the lower, the peer's otherwise.
            return first.WeDialled == lowerDials ? first : second;
        }

        return (first.EstablishedAt, first.Id).CompareTo((second.EstablishedAt, second.Id)) >= 0 ? first : second;
    }

    /// <summary>Whether this node ends <paramref name="loser"/> itself: it does when it is its listener (the peer dialled it).</summary>
    public static bool EndsLoser(LinkCandidate loser) => !loser.WeDialled;

    private NodeId Checked(NodeId peer)
    {
        if (peer.IsEmpty || peer == Self)
        {
            throw new ArgumentException(peer.IsEmpty ? "A peer has a node id." : $"A node never links to itself ({Self}).", nameof(peer));
        }

        return peer;
    }
}
