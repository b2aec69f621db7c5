using Node.Storage.Packets;

namespace Node.Storage.Sync;

/// <summary>A stored packet as a view serves it: its receive sequence, id and envelope bytes.</summary>
/// <param name="Seq">The local receive sequence.</param>
/// <param name="Id">The packet id (32 bytes).</param>
/// <param name="Envelope">The envelope exactly as stored.</param>
/// <param name="Author">The author's node id.</param>
public sealed record ViewPacket(long Seq, byte[] Id, byte[] Envelope, string Author);

/// <summary>A page of catch-up: the packets of a view after a sequence, and how far the page scanned.</summary>
/// <param name="Packets">The packets in the view, in receive order.</param>
/// <param name="ScannedTo">
/// The receive sequence the page covers: every packet up to it that is in the view is in
/// <paramref name="Packets"/> (or in an earlier page). Views have gaps, so it can be past the last packet sent.
/// </param>
/// <param name="LastSeq">The store's newest receive sequence when the page was read: the page is the last when <paramref name="ScannedTo"/> reaches it.</param>
public sealed record ViewPage(IReadOnlyList<ViewPacket> Packets, long ScannedTo, long LastSeq)
{
    /// <summary>Whether nothing is left after this page (when it was read).</summary>
    public bool IsLast => ScannedTo >= LastSeq;
}

/// <summary>How far this node has scanned a peer's store, in the view the peer serves it.</summary>
/// <param name="Peer">The peer's node id.</param>
/// <param name="ViewScope">The narrowest scope the peer served (Core: a core view; Shareable: a sandbox view).</param>
/// <param name="Epoch">The peer's store epoch the sequence belongs to.</param>
/// <param name="Seq">The peer's receive sequence scanned to.</param>
/// <param name="UpdatedAt">When it was saved, Unix ms.</param>
public sealed record SyncCursor(string Peer, PacketScope ViewScope, byte[] Epoch, long Seq, long UpdatedAt);

/// <summary>A packet waiting in quarantine for a promotion or a rejection.</summary>
/// <param name="Id">The packet id.</param>
/// <param name="Envelope">The envelope as received (verified on arrival).</param>
/// <param name="FromPeer">The sandbox peer it came from.</param>
/// <param name="ReceivedAt">When it arrived, Unix ms.</param>
/// <param name="Reason">Why it is here.</param>
public sealed record QuarantinedPacket(byte[] Id, byte[] Envelope, string FromPeer, long ReceivedAt, string? Reason);

/// <summary>A retraction of a packet id, as recorded (kept for ever).</summary>
/// <param name="Target">The retracted id.</param>
/// <param name="Author">The retraction's author.</param>
/// <param name="Retraction">The retraction packet's id.</param>
/// <param name="At">When it was recorded, Unix ms.</param>
public sealed record RetractionRow(byte[] Target, string Author, byte[] Retraction, long At);
