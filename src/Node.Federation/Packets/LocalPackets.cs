using Node.Federation.Identity;
using Node.Protocol.Packets;
using Node.Storage;

namespace Node.Federation.Packets;

/// <summary>
/// Packets this node authors (through the API, later the reasoning pipeline): signed with the
/// node's identity and taken in through the same checks as a peer's packet, so a local packet is
/// never one a peer would refuse.
/// </summary>
public sealed class LocalPackets
{
    private readonly IdentityHost _identity;
    private readonly NodeStore _store;
    private readonly PacketIntake _intake;

    /// <summary>Takes packets into <paramref name="store"/>, signed by <paramref name="identity"/>.</summary>
    public LocalPackets(NodeStore store, IdentityHost identity)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity;
        _store = store;
        var keys = new KeyDirectory();
        keys.Add(identity.Identity.PublicKey);
        _intake = new PacketIntake(store.Writer, keys);
    }

    /// <summary>
    /// Retracts the stored packet <paramref name="id"/>, which this node authored (under its key now
    /// or one it rotated from): signs a retraction in the target's slot and scope, stamped
    /// <paramref name="hlc"/>, and stores it — which removes the target here; peers take it by sync.
    /// </summary>
    /// <returns>The retraction's intake result, or why nothing was done.</returns>
    public async Task<(IntakeResult? Result, string? Refusal)> RetractAsync(byte[] id, ulong hlc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        Node.Storage.Packets.StoredPacket? target;
        using (var reader = _store.OpenReader())
        {
            target = reader.Packets.ById(id);
        }

        if (target is null)
        {
            return (null, "not stored here");
        }

        if (!_identity.IsSelf(target.Packet.Author))
        {
            return (null, $"it was authored by {target.Packet.Author}: only its author may retract it");
        }

        var scope = PacketBodies.Read(target.Packet.Envelope).Scope;
        var body = new PacketBody
        {
            Author = _identity.Identity.Id.ToString(),
            Topic = target.Packet.Topic,
            Key = target.Packet.Key,
            Kind = PacketKind.Retraction,
            MediaType = "text/plain; charset=utf-8",
            Hlc = hlc,
            Scope = scope,
            Supersedes = { Google.Protobuf.ByteString.CopyFrom(id) },
        };
        return (await PutAsync(body, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>Signs <paramref name="body"/> (its author must be this node) and stores it; completes once durable.</summary>
    public Task<IntakeResult> PutAsync(PacketBody body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (id, envelope) = PacketSigner.Sign(body, _identity.Identity);
        return _intake.AcceptAsync(envelope, fromPeer: null, expectedId: id, cancellationToken);
    }
}
