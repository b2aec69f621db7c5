using System.Collections.Concurrent;

namespace Node.Daemon.Health;

/// <summary>
/// The registry of the node's critical loops. A loop registers once, calls
/// <see cref="CriticalLoopRegistration.Beat"/> each time it makes progress and <see cref="CriticalLoopRegistration.Idle"/>
/// when it waits for work; the watchdog pings systemd only while every loop at work has beaten
/// recently enough, so a hung loop leads to a restart.
/// Thread-safe.
/// </summary>
public sealed class CriticalLoops(TimeProvider time)
{
    private readonly ConcurrentDictionary<CriticalLoopRegistration, byte> _loops = new();

    /// <summary>
    /// Registers a loop; it counts as having made progress now. Dispose the handle when the loop
    /// ends for good (a stopped loop must not hold the watchdog back).
    /// </summary>
    /// <param name="name">A short name for logs and status, such as <c>sync</c>.</param>
    /// <param name="maxSilence">How long the loop may go without progress; by default the watchdog timeout.</param>
    public CriticalLoopRegistration Register(string name, TimeSpan? maxSilence = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (maxSilence is { } bound)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bound, TimeSpan.Zero, nameof(maxSilence));
        }

        var loop = new CriticalLoopRegistration(this, name, maxSilence, time);
        _loops.TryAdd(loop, 0);
        return loop;
    }

    /// <summary>The loops registered now.</summary>
    public IReadOnlyCollection<CriticalLoopRegistration> Registered => (IReadOnlyCollection<CriticalLoopRegistration>)_loops.Keys;

    /// <summary>The loops silent for longer than they may be, longest silence first.</summary>
    /// <param name="defaultBound">The bound of loops that did not set their own.</param>
    public IReadOnlyList<StalledLoop> FindStalled(TimeSpan defaultBound)
    {
        List<StalledLoop>? stalled = null;
        foreach (var loop in _loops.Keys)
        {
            var bound = loop.MaxSilence ?? defaultBound;
            var silence = loop.Silence;
            if (silence > bound)
            {
                (stalled ??= []).Add(new StalledLoop(loop.Name, silence, bound));
            }
        }

        return stalled is null ? [] : [.. stalled.OrderByDescending(s => s.Silence)];
    }

    internal void Unregister(CriticalLoopRegistration loop) => _loops.TryRemove(loop, out _);
}

/// <summary>A loop that has gone without progress for longer than its bound.</summary>
/// <param name="Name">The loop's name.</param>
/// <param name="Silence">How long since its last progress.</param>
/// <param name="Bound">How long it may go without progress.</param>
public readonly record struct StalledLoop(string Name, TimeSpan Silence, TimeSpan Bound);
