namespace Node.Federation.Link.Internal;

/// <summary>
/// Missed-beat counting for one link (docs/design/peer-link.md §6; docs/protocol.md, "Peer link"):
/// a peer heard from within <see cref="PeerLinkOptions.SuspectAfter"/> is connected, one silent that
/// long (or whose transport was lost) is suspect, one silent for <see cref="PeerLinkOptions.DownAfter"/>
/// is down. A beat makes it connected again. Made when the link's heartbeat stream opens; the
/// silence counts from then.
/// </summary>
/// <remarks>
/// <para>
/// Our own stalls are not the peer's silence: the link's heartbeat timer calls <see cref="Tick"/> on
/// each tick, and a tick at least two intervals late (a suspended machine, a long GC pause, an fsync
/// on a slow USB stick) means this node was not running, so the silence counts again from that tick
/// instead of marking the peer down. Read <see cref="State"/> after <see cref="Tick"/> on the timer's
/// loop to act on it; a read from elsewhere between the end of a stall and its late tick counts the
/// stall as silence.
/// </para>
/// <para>Thread-safe: beats arrive on the receive loop while the timer ticks and the API reads.</para>
/// </remarks>
internal sealed class LivenessTracker
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _suspectAfter;
    private readonly TimeSpan _downAfter;
    private long _silentSince;
    private long _lastTick;
    private long _lastHeardAtMs = long.MinValue;
    private volatile bool _transportLost;

    public LivenessTracker(PeerLinkOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        (_interval, _suspectAfter, _downAfter) = (options.HeartbeatInterval, options.SuspectAfter, options.DownAfter);
        _silentSince = _lastTick = time.GetTimestamp();
    }

    /// <summary>The link's state now: <see cref="LinkState.Connected"/>, <see cref="LinkState.Suspect"/> or <see cref="LinkState.Down"/>.</summary>
    public LinkState State => Silence switch
    {
        var s when s >= _downAfter => LinkState.Down,
        var s when _transportLost || s >= _suspectAfter => LinkState.Suspect,
        _ => LinkState.Connected,
    };

    /// <summary>How long the peer has been silent: since its last beat, the stream opening, or the end of our own last stall.</summary>
    public TimeSpan Silence => _time.GetElapsedTime(Volatile.Read(ref _silentSince));

    /// <summary>When the last beat arrived (wall clock); null before the first.</summary>
    public DateTimeOffset? LastHeardAt => Volatile.Read(ref _lastHeardAtMs) is var ms && ms == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>A beat (or anything else proving the peer alive on this link) arrived.</summary>
    public void Heard()
    {
        Volatile.Write(ref _silentSince, _time.GetTimestamp());
        Volatile.Write(ref _lastHeardAtMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        _transportLost = false;
    }

    /// <summary>The transport under the link failed (reset, closed stream): suspect at once, down after <see cref="PeerLinkOptions.DownAfter"/> of silence.</summary>
    public void TransportLost() => _transportLost = true;

    /// <summary>
    /// Our own heartbeat timer ticked. True when the tick came at least two intervals late: this
    /// node was stalled, and the peer's silence counts again from now.
    /// </summary>
    public bool Tick()
    {
        var now = _time.GetTimestamp();
        var sinceLast = _time.GetElapsedTime(Interlocked.Exchange(ref _lastTick, now), now);
        if (sinceLast - _interval < 2 * _interval)
        {
            return false;
        }

        // A beat heard during the stall's last moments is newer than now at most by a race: keep the later.
        var silentSince = Volatile.Read(ref _silentSince);
        while (silentSince < now && Interlocked.CompareExchange(ref _silentSince, now, silentSince) is var seen && seen != silentSince)
        {
            silentSince = seen;
        }

        return true;
    }
}
