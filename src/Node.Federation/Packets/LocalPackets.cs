using Node.Federation.Identity;
using Node.Protocol.Packets;
using Node.Storage;

namespace Node.Federation.Packets;

/// <summary>
/// Packets this node authors (through the API, later the reasoning pipeline): signed with the
/// node's identity and taken in through the same checks as a peer's packet, so a local packet is
/// never one a peer would refuse.
/// </summary>
public sealed class LocalPackets(StoreHost store, IdentityHost identity)
{
    private PacketIntake? _intake;

    /// <summary>Signs <paramref name="body"/> (its author must be this node) and stores it; completes once durable.</summary>
    public Task<IntakeResult> PutAsync(PacketBody body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (id, envelope) = PacketSigner.Sign(body, identity.Identity);
        return Intake().AcceptAsync(envelope, fromPeer: null, expectedId: id, cancellationToken);
    }

    // Made on first use: the identity and the store are loaded when the host starts.
    private PacketIntake Intake()
    {
        if (_intake is null)
        {
            var keys = new KeyDirectory();
            keys.Add(identity.Identity.PublicKey);
            Interlocked.CompareExchange(ref _intake, new PacketIntake(store.Store.Writer, keys), null);
        }

        return _intake;
    }
}
