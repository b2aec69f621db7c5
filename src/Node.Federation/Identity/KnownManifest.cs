using Node.Protocol.Packets;

namespace Node.Federation.Identity;

/// <summary>A peer's current manifest as the <see cref="ManifestBook"/> holds it: verified when it arrived.</summary>
/// <param name="NodeId">Its node id.</param>
/// <param name="Manifest">The parsed manifest (shared: do not modify).</param>
/// <param name="Envelope">Its DSSE envelope, the bytes as received.</param>
/// <param name="EnvelopeSha256">SHA-256 of <paramref name="Envelope"/>: the hash mDNS TXT <c>manifest=</c> and <c>Beat.manifest_sha256</c> carry.</param>
/// <param name="CertificateSha256">SHA-256 of the TLS certificate it names: the pin for dialling this peer.</param>
public sealed record KnownManifest(NodeId NodeId, PeerManifest Manifest, ReadOnlyMemory<byte> Envelope, ReadOnlyMemory<byte> EnvelopeSha256,
    ReadOnlyMemory<byte> CertificateSha256)
{
    /// <summary>When it was issued.</summary>
    public DateTimeOffset IssuedAt => DateTimeOffset.FromUnixTimeMilliseconds(Manifest.IssuedAt);

    /// <summary>When it expires.</summary>
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeMilliseconds(Manifest.ExpiresAt);

    /// <summary>
    /// Whether it is valid at <paramref name="now"/>: not expired and not issued beyond the allowed
    /// clock skew (<see cref="PeerManifests.MaxSkew"/>) ahead of it, as <see cref="PeerManifests.Verify"/> judges.
    /// </summary>
    public bool IsValidAt(DateTimeOffset now) =>
        PeerManifests.ValidityAt(Manifest.IssuedAt, Manifest.ExpiresAt, now.ToUnixTimeMilliseconds()) == ManifestOutcome.Valid;
}
