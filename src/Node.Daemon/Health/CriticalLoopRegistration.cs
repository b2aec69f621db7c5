namespace Node.Daemon.Health;

/// <summary>
/// The watchdog's registration of one critical loop, as <see cref="CriticalLoops.Register"/> returns it: beat on
/// progress, say when idle, dispose when the loop ends for good.
/// </summary>
public sealed class CriticalLoopRegistration : IDisposable
{
    private readonly CriticalLoops _owner;
    private readonly TimeProvider _time;
    private long _lastBeat;
    private volatile bool _idle;

    internal CriticalLoopRegistration(CriticalLoops owner, string name, TimeSpan? maxSilence, TimeProvider time)
    {
        _owner = owner;
        _time = time;
        Name = name;
        MaxSilence = maxSilence;
        _lastBeat = time.GetTimestamp();
    }

    /// <summary>The loop's name.</summary>
    public string Name { get; }

    /// <summary>How long the loop may go without progress, or <see langword="null"/> for the watchdog timeout.</summary>
    public TimeSpan? MaxSilence { get; }

    /// <summary>How long since the loop last made progress; zero while it is idle.</summary>
    public TimeSpan Silence => _idle ? TimeSpan.Zero : _time.GetElapsedTime(Volatile.Read(ref _lastBeat));

    /// <summary>Whether the loop said it is waiting for work (and so cannot be stalled).</summary>
    public bool IsIdle => _idle;

    /// <summary>Records progress now, and that the loop is at work. Cheap enough to call every iteration.</summary>
    public void Beat()
    {
        Volatile.Write(ref _lastBeat, _time.GetTimestamp());
        _idle = false;
    }

    /// <summary>
    /// Says the loop is waiting for work: a loop blocked on an empty queue is healthy, however
    /// long it waits. The next <see cref="Beat"/> starts the clock again.
    /// </summary>
    public void Idle() => _idle = true;

    /// <summary>Unregisters the loop.</summary>
    public void Dispose() => _owner.Unregister(this);
}
