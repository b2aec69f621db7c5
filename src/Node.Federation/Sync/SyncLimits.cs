namespace Node.Federation.Sync;

/// <summary>The bounds of the sync protocol (docs/protocol.md, "Knowledge sync"): what one request may ask and one reply may hold.</summary>
public static class SyncLimits
{
    /// <summary>Packets in a catch-up reply when the caller does not say.</summary>
    public const int DefaultCatchUpPackets = 256;

    /// <summary>Most packets a caller may ask for in one catch-up reply (its credit).</summary>
    public const int MaxCatchUpPackets = 1024;

    /// <summary>A catch-up or fetch reply ends after the packet that reaches this many envelope bytes (1 MiB; with that last envelope, at most 320 KiB, and the keys it stays under the 2 MiB reply cap).</summary>
    public const int MaxReplyBytes = 1024 * 1024;

    /// <summary>Most ids in one fetch request.</summary>
    public const int MaxFetchIds = 1024;

    /// <summary>Most bytes in one reconciliation message (60 KiB: a request must fit the peer port's 64 KiB request cap).</summary>
    public const int MaxReconcileMessageBytes = 60 * 1024;

    /// <summary>Most author keys a reply may carry (one per distinct author of its packets).</summary>
    public const int MaxAuthorKeys = MaxCatchUpPackets;

    /// <summary>Length of a store epoch.</summary>
    public const int EpochLength = 16;
}
