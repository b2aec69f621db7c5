namespace Node.Daemon.Health;

/// <summary>A registered critical loop: beat on progress, dispose when the loop ends for good.</summary>
public sealed class CriticalLoop : IDisposable
{
    private readonly CriticalLoops _owner;
    private readonly TimeProvider _time;
    private long _lastBeat;

    internal CriticalLoop(CriticalLoops owner, string name, TimeSpan? maxSilence, TimeProvider time)
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

    /// <summary>How long since the loop last made progress.</summary>
    public TimeSpan Silence => _time.GetElapsedTime(Volatile.Read(ref _lastBeat));

    /// <summary>Records progress now. Cheap enough to call every iteration.</summary>
    public void Beat() => Volatile.Write(ref _lastBeat, _time.GetTimestamp());

    /// <summary>Unregisters the loop.</summary>
    public void Dispose() => _owner.Unregister(this);
}
