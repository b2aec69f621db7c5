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
    private readonly PacketIntake _intake;

    /// <summary>Takes packets into <paramref name="store"/>, signed by <paramref name="identity"/>.</summary>
    public LocalPackets(NodeStore store, IdentityHost identity)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity;
        var keys = new KeyDirectory();
        keys.Add(identity.Identity.PublicKey);
        _intake = new PacketIntake(store.Writer, keys);
    }

    /// <summary>Signs <paramref name="body"/> (its author must be this node) and stores it; completes once durable.</summary>
    public Task<IntakeResult> PutAsync(PacketBody body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (id, envelope) = PacketSigner.Sign(body, _identity.Identity);
        return _intake.AcceptAsync(envelope, fromPeer: null, expectedId: id, cancellationToken);
    }
}
