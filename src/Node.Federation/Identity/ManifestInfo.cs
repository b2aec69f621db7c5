namespace Node.Federation.Identity;

/// <summary>What a node says of itself in its manifest.</summary>
/// <param name="Name">Its human-readable name.</param>
/// <param name="Addresses">Addresses it may be reached at.</param>
/// <param name="PeerPort">Its peer port.</param>
/// <param name="Capabilities">What it offers.</param>
/// <param name="SoftwareVersion">Its software version.</param>
/// <param name="TlsCertificateSha256">SHA-256 of its TLS certificate (DER), 32 bytes.</param>
public sealed record ManifestInfo(string Name, IReadOnlyList<string> Addresses, int PeerPort, IReadOnlyList<string> Capabilities,
    string SoftwareVersion, byte[] TlsCertificateSha256);
