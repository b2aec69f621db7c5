using System.Collections.Concurrent;
using Node.Federation.Identity;
using Node.Federation.Sync;

namespace Node.Daemon.Api;

/// <summary>
/// The receive rate of the last round with each peer, for <c>GetSyncStatus</c>: packets taken in
/// the round ÷ the round's time. Known only for rounds asked for through the API
/// (<c>FederationService.Sync</c>), whose results this class is handed; the book counts packets
/// since start, not per round, so an automatic round's rate is unknown and shown as 0. Thread-safe.
/// </summary>
internal sealed class SyncRates(SyncBook book, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Measured> _last = new(StringComparer.Ordinal);

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

    /// <summary>Packets per second over the last round with <paramref name="snapshot"/>'s peer, when that round was measured; else 0.</summary>
    public double Of(SyncSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Phase == SyncPhase.Idle && _last.TryGetValue(snapshot.Peer, out var last) && last.StartedAt == snapshot.RoundStartedAt
            ? last.Rate
            : 0;
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
        var seconds = Math.Max(ended - started, 1) / 1000.0;
        _last[peer] = new Measured(started, result.Received / seconds);
    }

    private readonly record struct Measured(long StartedAt, double Rate);
}
