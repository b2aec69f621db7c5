namespace Node.Federation.Link;

/// <summary>The peer port's limits (docs/protocol.md, "Peer link", limits): what one peer can make this node hold.</summary>
public static class PeerLimits
{
    /// <summary>Largest request message a peer may send: 64 KiB (a Hello: a 16 KiB manifest and four 4 KiB rotations).</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>Largest reply message accepted from a peer: 2 MiB (a sync page: 1 MiB of envelopes, the one that crossed it, the authors' keys).</summary>
    public const int MaxReplyBytes = 2 * 1024 * 1024;

    /// <summary>Most rotation statements in one Hello.</summary>
    public const int MaxRotations = 4;

    /// <summary>Open connections on the peer port, all addresses together.</summary>
    public const int MaxConnections = 128;

    /// <summary>Open connections on the peer port from one address (IPv4 or IPv6).</summary>
    public const int MaxConnectionsPerAddress = 8;

    /// <summary>
    /// Open connections on the peer port from one IPv6 /64: one machine may pick any address in its
    /// /64, yet a LAN's peers share one /64 too, so this cap is above a host's and below the total.
    /// </summary>
    public const int MaxConnectionsPerPrefix = 32;

    /// <summary>Concurrent HTTP/2 streams (calls) on one connection.</summary>
    public const int MaxStreamsPerConnection = 16;

    /// <summary>How long a connection may take to send its first byte, then to finish the TLS handshake: 5 s each.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Slots in one Query page by default, and at most.</summary>
    public const int DefaultQueryPage = 50, MaxQueryPage = 200;

    /// <summary>Envelope bytes after which a Query page ends early.</summary>
    public const int MaxQueryPageBytes = 512 * 1024 - 16 * 1024;

    /// <summary>Longest topic or key in a Query, in UTF-8 bytes.</summary>
    public const int MaxQueryNameBytes = 256;
}
