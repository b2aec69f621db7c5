namespace Node.Federation.Clock;

/// <summary>
/// A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014) on a
/// <see cref="TimeProvider"/>: timestamps never go backwards, even when the wall clock does or
/// the node restarts, and a peer's timestamp pulls the clock forward — unless it is more than
/// <see cref="MaxDrift"/> ahead of our wall clock, which is refused (a broken or hostile clock
/// must not drag every node into the future).
/// </summary>
/// <remarks>
/// Across restarts: the clock raises a ceiling, <see cref="Lease"/> ahead of the highest
/// timestamp it has issued, before issuing past the previous one, and hands it to be persisted
/// with the writes that carry its timestamps (the store writes it in the same transaction as
/// every write queued after the raise: <c>StoreWriter.RaiseClockCeiling</c>); a restart starts at
/// or above the persisted ceiling. A raise happens at most about once per lease. Thread-safe, and
/// never waits for I/O: it may be read from anywhere, a store write included.
/// </remarks>
public sealed class HybridClock
{
    private readonly TimeProvider _time;
    private readonly Action<long> _persistCeiling;
    private readonly Lock _gate = new();
    private long _physical;
    private int _counter;
    private long _ceiling;

    /// <summary>Creates the clock.</summary>
    /// <param name="time">The wall clock.</param>
    /// <param name="persistedCeiling">The ceiling persisted by the previous run (Unix ms), or 0.</param>
    /// <param name="persistCeiling">
    /// Takes a raised ceiling to persist before any timestamp under it is relied on (stored). Called
    /// under the clock's lock: it must not block or wait for I/O (the store's
    /// <c>RaiseClockCeiling</c> only records it for the next commit).
    /// </param>
    /// <param name="maxDrift">How far ahead of our wall clock a peer's timestamp may be. Defaults to 5 minutes.</param>
    /// <param name="lease">How far ahead the persisted ceiling runs. Defaults to 10 seconds.</param>
    public HybridClock(TimeProvider time, long persistedCeiling, Action<long> persistCeiling, TimeSpan? maxDrift = null, TimeSpan? lease = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(persistCeiling);
        _time = time;
        _persistCeiling = persistCeiling;
        MaxDrift = maxDrift ?? TimeSpan.FromMinutes(5);
        Lease = lease ?? TimeSpan.FromSeconds(10);
        // A ceiling no higher than what was issued would let a restart reissue old timestamps.
        ArgumentOutOfRangeException.ThrowIfLessThan(Lease, TimeSpan.FromMilliseconds(1), nameof(lease));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDrift, TimeSpan.Zero, nameof(maxDrift));
        _physical = Math.Max(0, persistedCeiling);
        _ceiling = _physical;
        _counter = 0;
    }

    /// <summary>How far ahead of the wall clock a peer's timestamp may be.</summary>
    public TimeSpan MaxDrift { get; }

    /// <summary>How far ahead the persisted ceiling runs.</summary>
    public TimeSpan Lease { get; }

    /// <summary>A timestamp for a local event, greater than every one issued or observed before.</summary>
    public HybridTimestamp Now()
    {
        lock (_gate)
        {
            Advance(Wall(), 0, 0);
            return Issue();
        }
    }

    /// <summary>
    /// Merges a peer's timestamp (on receiving its packet), so later local timestamps order after it.
    /// </summary>
    /// <returns>False, and the clock unchanged, when <paramref name="remote"/> is more than <see cref="MaxDrift"/> ahead of our wall clock.</returns>
    public bool TryObserve(HybridTimestamp remote, out HybridTimestamp merged)
    {
        lock (_gate)
        {
            var wall = Wall();
            if (remote.UnixMilliseconds - wall > (long)MaxDrift.TotalMilliseconds)
            {
                merged = default;
                return false;
            }

            Advance(wall, remote.UnixMilliseconds, remote.Counter);
            merged = Issue();
            return true;
        }
    }

    private long Wall() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // HLC update: physical = max(ours, wall, remote); the counter counts events within one physical value.
    private void Advance(long wall, long remotePhysical, int remoteCounter)
    {
        var physical = Math.Max(Math.Max(_physical, wall), remotePhysical);
        int counter;
        if (physical == _physical && physical == remotePhysical)
        {
            counter = Math.Max(_counter, remoteCounter) + 1;
        }
        else if (physical == _physical)
        {
            counter = _counter + 1;
        }
        else if (physical == remotePhysical)
        {
            counter = remoteCounter + 1;
        }
        else
        {
            counter = 0;
        }

        if (counter > HybridTimestamp.MaxCounter)
        {
            // 65536 events in one millisecond: borrow the next millisecond rather than wrap.
            physical++;
            counter = 0;
        }

        _physical = physical;
        _counter = counter;
    }

    private HybridTimestamp Issue()
    {
        if (_physical >= _ceiling)
        {
            var ceiling = _physical + (long)Lease.TotalMilliseconds;
            _persistCeiling(ceiling);
            _ceiling = ceiling;
        }

        return HybridTimestamp.From(_physical, _counter);
    }
}
