namespace Node.Storage.Peers;

/// <summary>A registered peer's newest verified manifest, as stored (table <c>peer_manifests</c>).</summary>
/// <param name="NodeId">The peer's node id, written form.</param>
/// <param name="Envelope">The manifest's DSSE envelope, the bytes as received.</param>
/// <param name="IssuedAt">The manifest's issued-at, Unix ms.</param>
/// <param name="CertificateSha256">SHA-256 of the TLS certificate it names, 32 bytes.</param>
/// <param name="SeenAt">When this manifest was stored, Unix ms.</param>
public sealed record PeerManifestRow(string NodeId, byte[] Envelope, long IssuedAt, byte[] CertificateSha256, long SeenAt);
