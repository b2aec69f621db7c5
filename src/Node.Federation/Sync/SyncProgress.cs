namespace Node.Federation.Sync;

/// <summary>What a round with a peer is doing now.</summary>
public enum SyncPhase
{
    /// <summary>No round under way.</summary>
    Idle,

    /// <summary>Taking what the peer stored after our cursor.</summary>
    CatchingUp,

    /// <summary>Comparing sets (first contact, an epoch change, the audit).</summary>
    Reconciling,

    /// <summary>Fetching what reconciliation found missing here.</summary>
    Fetching,
}

/// <summary>
/// One peer's sync as it stands, for <c>nodectl federation status</c>: honest counts, never a guess.
/// "Still to receive" is exact once a reconciliation has ended and null (unknown) before; it counts
/// down as fetched packets are committed. Thread-safe: the round writes, anyone reads a snapshot.
/// </summary>
public sealed class SyncProgress
{
    private readonly Lock _gate = new();
    private SyncSnapshot _state;

    /// <summary>Starts with nothing known about <paramref name="peer"/>.</summary>
    public SyncProgress(string peer) => _state = new SyncSnapshot(peer, SyncPhase.Idle, null, null, null, null, 0, 0, 0, 0, 0, null, null, null);

    /// <summary>A copy of the state now.</summary>
    public SyncSnapshot Snapshot()
    {
        lock (_gate)
        {
            return _state;
        }
    }

    internal void Update(Func<SyncSnapshot, SyncSnapshot> change)
    {
        lock (_gate)
        {
            _state = change(_state);
        }
    }
}

/// <summary>One peer's sync at a moment.</summary>
/// <param name="Peer">The peer's node id.</param>
/// <param name="Phase">What the round under way does.</param>
/// <param name="RoundStartedAt">When the round under way (or the last) started, Unix ms.</param>
/// <param name="LastRoundEndedAt">When the last round ended, Unix ms; null before one did.</param>
/// <param name="LastRoundResult">"ok", or why it failed; null before one ended.</param>
/// <param name="LastRoundKind">"catch-up" or "reconciliation".</param>
/// <param name="PacketsReceived">Packets taken from the peer (stored, held or quarantined) since start.</param>
/// <param name="BytesReceived">Their envelope bytes.</param>
/// <param name="PacketsSent">Packets served to the peer since start.</param>
/// <param name="BytesSent">Their envelope bytes.</param>
/// <param name="Refused">Packets from the peer refused (bad signature, retracted, …) since start.</param>
/// <param name="ToReceive">Packets still to receive, exact after a reconciliation; null when unknown.</param>
/// <param name="ToSend">Packets the peer still lacks, exact after a reconciliation; null when unknown.</param>
/// <param name="ViewScope">The view the peer serves us: "core" or "shareable"; null before the first round.</param>
/// <param name="Rounds">Rounds ended with it since start (ok or not).</param>
/// <param name="LastRoundReceived">Packets taken in the last round that ended (0 before one did, or when it failed before taking any).</param>
public sealed record SyncSnapshot(string Peer, SyncPhase Phase, long? RoundStartedAt, long? LastRoundEndedAt, string? LastRoundResult, string? LastRoundKind,
    long PacketsReceived, long BytesReceived, long PacketsSent, long BytesSent, long Refused, long? ToReceive, long? ToSend, string? ViewScope, long Rounds = 0,
    long LastRoundReceived = 0)
{
    /// <summary>Packets taken per second in the last round that ended: its packets ÷ its time; 0 before one ended.</summary>
    public double LastRoundRate => LastRoundEndedAt is { } ended && RoundStartedAt is { } started && ended >= started && Phase == SyncPhase.Idle
        ? LastRoundReceived / (Math.Max(ended - started, 1) / 1000.0)
        : 0;
}
