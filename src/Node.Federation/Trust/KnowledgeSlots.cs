using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Peers;
using Node.Protocol.Packets;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Federation.Trust;

/// <summary>
/// The slots of this node's knowledge base as this node judges them: every stored packet of a
/// (topic, key) slot whose bytes check out as they are read (<see cref="PacketScrub.ServeAsync"/>:
/// one that does not is marked corrupt and takes no part), each author at the trust tier this
/// node gives it — itself core, a known peer its tier, anyone else unknown — resolved by the
/// <see cref="CurrentValue"/> rule.
/// </summary>
public sealed class KnowledgeSlots(NodeStore store, PeerRegistry peers, IdentityHost identity, PacketScrub scrub)
{
    /// <summary>The slot (<paramref name="topic"/>, <paramref name="key"/>): null when nothing sound is stored for it.</summary>
    public Task<SlotValue?> ResolveAsync(string topic, string key, CancellationToken cancellationToken = default) =>
        ResolveAsync(topic, key, view: null, cancellationToken);

    /// <summary>
    /// The slot (<paramref name="topic"/>, <paramref name="key"/>) as a peer of tier <paramref name="view"/>
    /// sees it: only the packets in its view (<see cref="PeerPermissions.Visible"/>) take part, so
    /// the value and its contenders reveal nothing outside it. Null when nothing in the view is stored
    /// for it; a null <paramref name="view"/> is this node's own view (every packet).
    /// </summary>
    public async Task<SlotValue?> ResolveAsync(string topic, string key, TrustTier? view, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StoredPacket> packets;
        using (var reader = store.OpenReader())
        {
            packets = reader.Packets.BySlot(topic, key);
        }

        var read = await scrub.ServeAsync(packets, cancellationToken).ConfigureAwait(false);
        if (view is { } tier)
        {
            read = [.. read.Where(p => PeerPermissions.Sees(tier, p.Body.Scope))];
        }

        if (read.Count == 0)
        {
            return null;
        }

        var resolution = CurrentValue.Resolve(read.Select(p => new SlotCandidate(p.Stored.Packet.Id,
            identity.IsSelf(p.Body.Author) ? TrustTier.Core : peers.TierOf(p.Body.Author),
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
