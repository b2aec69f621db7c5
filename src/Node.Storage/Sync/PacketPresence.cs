namespace Node.Storage.Sync;

/// <summary>Where a packet id is found in the store: what <see cref="SyncQueries.Presence"/> reports for each id of a batch.</summary>
[Flags]
public enum PacketPresence
{
    /// <summary>Nowhere.</summary>
    None = 0,

    /// <summary>Stored (marked corrupt or not).</summary>
    Stored = 1,

    /// <summary>A retraction of it is recorded (by whoever).</summary>
    Retracted = 2,

    /// <summary>Waiting in quarantine.</summary>
    Quarantined = 4,

    /// <summary>A held packet waits for it (a missing dependency).</summary>
    AwaitedByHeld = 8,

    /// <summary>Rejected out of quarantine before.</summary>
    Rejected = 16,
}
