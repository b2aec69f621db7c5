using Google.Protobuf;
using Node.Federation.Identity;
using Node.Protocol.Peer;
using Node.Storage;

namespace Node.Federation.Sync;

/// <summary>
/// Where the heartbeat meets sync: beats to a peer that syncs with us carry our store's position
/// (epoch, newest receive sequence) whenever it moved since the last beat on that stream, and a beat
/// is sent at once when a packet is stored, so a change reaches linked peers within a second; the
/// positions peers send are handed on (<see cref="PeerMoved"/>) to start their catch-up.
/// </summary>
public sealed class SyncBeacon(NodeStore store)
{
    /// <summary>Raised when a peer's beat says its store moved: its node id, epoch and newest sequence.</summary>
    public event Action<NodeId, byte[], long>? PeerMoved;

    /// <summary>Completes at the next commit that stores a packet.</summary>
    public Task Moved => store.Writer.PacketsCommitted.Next;

    /// <summary>Puts our store's position in <paramref name="beat"/> when it moved since <paramref name="sentSeq"/> (the last one sent on the stream; -1 before any).</summary>
    public void Stamp(Beat beat, ref long sentSeq)
    {
        ArgumentNullException.ThrowIfNull(beat);
        var seq = store.Writer.LastPacketSeq;
        if (seq != sentSeq)
        {
            beat.StoreEpoch = ByteString.CopyFrom(store.Epoch);
            beat.StoreSeq = seq;
            sentSeq = seq;
        }
    }

    /// <summary>Hands on the position in a beat heard from <paramref name="peer"/>, when it carries one.</summary>
    public void Heard(NodeId peer, Beat beat)
    {
        ArgumentNullException.ThrowIfNull(beat);
        if (beat.StoreEpoch.Length == SyncLimits.EpochLength && beat.StoreSeq >= 0)
        {
            PeerMoved?.Invoke(peer, beat.StoreEpoch.ToByteArray(), beat.StoreSeq);
        }
    }
}
