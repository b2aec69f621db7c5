namespace Node.Federation.Link.Server;

/// <summary>Why the peer port refused a connection or a call: the counters <c>federation diagnose</c> shows and the logs name.</summary>
public enum PeerRefusal
{
    /// <summary>The first bytes were not a TLS handshake (random bytes).</summary>
    NotTls,

    /// <summary>Plain-text HTTP (HTTP/1.1 or h2c) on the TLS port.</summary>
    PlaintextHttp,

    /// <summary>Too many connections from one address (IPv4 or IPv6), or from one IPv6 /64.</summary>
    OverAddressCap,

    /// <summary>Too many connections on the peer port altogether.</summary>
    OverTotalCap,

    /// <summary>No first byte, or no finished handshake, within the handshake timeout.</summary>
    HandshakeTimeout,

    /// <summary>The TLS handshake failed (an old TLS version, no common cipher, a broken record).</summary>
    HandshakeFailed,

    /// <summary>The client presented no certificate.</summary>
    NoCertificate,

    /// <summary>The client's certificate is not one a peer may present (not ECDSA P-256, too large).</summary>
    CertificateRejected,

    /// <summary>A path that is no method of the peer protocol.</summary>
    UnknownMethod,

    /// <summary>A call other than Hello on a connection whose certificate no valid manifest names.</summary>
    NotIntroduced,

    /// <summary>A Hello whose manifest does not hold (malformed, bad signature, id not the key's, expired, not yet valid).</summary>
    BadManifest,

    /// <summary>A Hello whose valid manifest names another certificate than the connection's (another node's manifest replayed).</summary>
    CertificateMismatch,

    /// <summary>A Hello with a manifest older than (or conflicting with) one already seen of that node.</summary>
    StaleManifest,

    /// <summary>A Hello from a node id that a key rotation retired.</summary>
    Retired,

    /// <summary>A key rotation competing with one already accepted for the same old id (refused, reported; the tier it carried drops).</summary>
    RotationConflict,

    /// <summary>A call the caller's trust tier does not allow.</summary>
    TierTooLow,

    /// <summary>A call ended because the caller's tier dropped while it was open.</summary>
    TierRevoked,

    /// <summary>A request message over the limit.</summary>
    Oversize,
}
