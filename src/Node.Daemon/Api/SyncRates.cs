using System.Collections.Concurrent;
using Node.Federation.Identity;
using Node.Federation.Sync;

namespace Node.Daemon.Api;

/// <summary>
/// The receive rate of the last round with each peer, for <c>GetSyncStatus</c>: packets taken in
/// that round ÷ its time. The book counts packets since start, not per round, so the count of one
/// round is known only (a) for a round asked for through the API (<c>FederationService.Sync</c>),
/// whose result this class is handed, or (b) when the status was read while the peer was idle
/// between that round and the one before (the book's round count moved by exactly one, and packets
/// arrive only during rounds). Otherwise the rate is unknown and shown as 0. Thread-safe.
/// </summary>
internal sealed class SyncRates(SyncBook book, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Measured> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Rounds, long Received)> _idle = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the outcome of <paramref name="round"/> (from <see cref="SyncScheduler.RequestAsync"/>)
    /// when it ends: a rate when it succeeded; a failure is observed here (the scheduler logs it), so
    /// no task's exception goes unobserved.
    /// </summary>
    public void Observe(NodeId peer, Task<SyncRoundResult> round)
    {
        ArgumentNullException.ThrowIfNull(round);
        var name = peer.ToString();
        _ = round.ContinueWith(ended =>
        {
            if (ended.IsCompletedSuccessfully)
            {
                Record(name, ended.Result);
            }
            else
            {
                _ = ended.Exception;
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Packets per second over the last round with <paramref name="snapshot"/>'s peer, when that round's count is known; else 0.</summary>
    public double Of(SyncSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Phase != SyncPhase.Idle)
        {
            return 0;
        }

        if (_idle.TryGetValue(snapshot.Peer, out var seen) && snapshot.Rounds == seen.Rounds + 1
            && snapshot.RoundStartedAt is { } started && snapshot.LastRoundEndedAt is { } ended && ended >= started)
        {
            _last[snapshot.Peer] = new Measured(started, Rate(snapshot.PacketsReceived - seen.Received, started, ended));
        }

        _idle[snapshot.Peer] = (snapshot.Rounds, snapshot.PacketsReceived);
        return _last.TryGetValue(snapshot.Peer, out var last) && last.StartedAt == snapshot.RoundStartedAt ? last.Rate : 0;
    }

    // The round has ended (its result is set just before the book marks it idle): it is the one the book says started last.
    private void Record(string peer, SyncRoundResult result)
    {
        var snapshot = book.Of(peer).Snapshot();
        if (snapshot.RoundStartedAt is not { } started)
        {
            return;
        }

        var ended = snapshot.LastRoundEndedAt is { } at && at >= started ? at : time.GetUtcNow().ToUnixTimeMilliseconds();
        _last[peer] = new Measured(started, Rate(result.Received, started, ended));
    }

    private static double Rate(long packets, long startedAt, long endedAt) => Math.Max(0, packets) / (Math.Max(endedAt - startedAt, 1) / 1000.0);

    private readonly record struct Measured(long StartedAt, double Rate);
}
