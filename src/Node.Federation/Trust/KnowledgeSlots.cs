using Node.Federation.Identity;
using Node.Federation.Peers;
using Node.Protocol.Packets;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Federation.Trust;

/// <summary>
/// The slots of this node's knowledge base as this node judges them: every stored packet of a
/// (topic, key) slot, each author at the trust tier this node gives it — itself core, a known peer
/// its tier, anyone else unknown — resolved by the <see cref="CurrentValue"/> rule.
/// </summary>
public sealed class KnowledgeSlots(NodeStore store, PeerRegistry peers, IdentityHost identity)
{
    /// <summary>The slot (<paramref name="topic"/>, <paramref name="key"/>): null when nothing is stored for it.</summary>
    public SlotValue? Resolve(string topic, string key)
    {
        IReadOnlyList<StoredPacket> packets;
        using (var reader = store.OpenReader())
        {
            packets = reader.Packets.BySlot(topic, key);
        }

        if (packets.Count == 0)
        {
            return null;
        }

        var self = identity.Identity.Id.ToString();
        var tiers = peers.List().Where(p => p.NodeId.Length > 0).ToDictionary(p => p.NodeId, p => p.Tier, StringComparer.Ordinal);
        // Stored envelopes were verified on the way in.
        var read = packets.Select(p => (Stored: p, Body: PacketBody.Parser.ParseFrom(Envelope.Parser.ParseFrom(p.Packet.Envelope).Payload))).ToList();
        var resolution = CurrentValue.Resolve(read.Select(p => new SlotCandidate(p.Stored.Packet.Id,
            p.Body.Author == self ? TrustTier.Core : tiers.GetValueOrDefault(p.Body.Author, TrustTier.Unknown),
            p.Body.Hlc, p.Body.Kind == PacketKind.Retraction, [.. p.Body.Supersedes.Select(s => s.ToByteArray())])));
        if (resolution.Current is not { } current)
        {
            return new SlotValue(null, null, []);
        }

        var chosen = read.First(p => p.Stored.Packet.Id.AsSpan().SequenceEqual(current.Id));
        return new SlotValue(chosen.Stored, chosen.Body, [.. resolution.Contenders.Skip(1).Select(c => c.Id)]);
    }
}

/// <summary>A slot's value on this node.</summary>
/// <param name="Current">The packet that is its current value; null when retractions emptied the slot.</param>
/// <param name="Body">That packet's body.</param>
/// <param name="OtherContenders">Ids of the other value packets no packet supersedes (a contradiction when any), best first.</param>
public sealed record SlotValue(StoredPacket? Current, PacketBody? Body, IReadOnlyList<byte[]> OtherContenders);
