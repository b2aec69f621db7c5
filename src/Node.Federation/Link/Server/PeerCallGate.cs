using Grpc.Core;
using Node.Federation.Identity;
using Node.Federation.Peers;
using Node.Federation.Trust;

namespace Node.Federation.Link.Server;

/// <summary>What the gate decided about a call: admitted (with the caller and its tier), or refused with the status the caller gets.</summary>
/// <param name="Caller">The caller's node id; empty for a Hello or a refusal.</param>
/// <param name="Tier">The caller's tier here.</param>
/// <param name="Refusal">Why it was refused; null when admitted.</param>
/// <param name="Status">The status a refused call ends with.</param>
public readonly record struct PeerAdmission(NodeId Caller, TrustTier Tier, PeerRefusal? Refusal, Status Status)
{
    /// <summary>Whether the call may go on.</summary>
    public bool Admitted => Refusal is null;
}

/// <summary>
/// The check every peer call passes before its request is read (ARCHITECTURE.md: trust tiers are
/// enforced by the server side of every call). The caller is whoever the connection's TLS
/// certificate belongs to: the node whose valid manifest, offered in an earlier Hello, names that
/// certificate's hash. Hello is open to anyone with a certificate; every other method needs a known
/// caller whose tier here (<see cref="PeerRegistry.TierOf(NodeId)"/>) allows it (<see cref="PeerPermissions"/>).
/// </summary>
public sealed class PeerCallGate(ManifestBook manifests, PeerRegistry peers, TimeProvider time)
{
    /// <summary>Decides a call to <paramref name="method"/> on a connection whose certificate hashes to <paramref name="certificateSha256"/>. Never throws.</summary>
    public PeerAdmission Admit(ReadOnlySpan<byte> certificateSha256, PeerMethod method)
    {
        if (method == PeerMethod.Hello)
        {
            return new PeerAdmission(default, TrustTier.Unknown, null, Status.DefaultSuccess);
        }

        if (!manifests.TryResolveCertificate(certificateSha256, out var caller) || !manifests.TryGet(caller, out var manifest) ||
            !manifest.IsValidAt(time.GetUtcNow()))
        {
            return new PeerAdmission(default, TrustTier.Unknown, PeerRefusal.NotIntroduced, new Status(StatusCode.Unauthenticated,
                $"{method}: this connection's certificate is named by no valid manifest here; call Hello first"));
        }

        var tier = peers.TierOf(caller);
        return PeerPermissions.Allows(tier, method)
            ? new PeerAdmission(caller, tier, null, Status.DefaultSuccess)
            : new PeerAdmission(caller, tier, PeerRefusal.TierTooLow, new Status(StatusCode.PermissionDenied,
                $"{method} needs tier {PeerRegistry.TierName(PeerPermissions.Minimum(method))}; node {caller} is '{PeerRegistry.TierName(tier)}' here"));
    }
}
