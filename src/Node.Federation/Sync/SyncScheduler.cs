using Microsoft.Extensions.Logging;
using Node.Federation.Identity;
using Node.Federation.Trust;

namespace Node.Federation.Sync;

/// <summary>
/// Decides when each linked peer gets a sync round and runs them, one at a time per peer and at most
/// <see cref="SyncOptions.MaxConcurrentRounds"/> together. Transport-free: the daemon drives it with
/// the peer link's channels and a real clock, a simulation with an in-memory network and virtual time
/// (<see cref="Tick"/> is one step of either).
/// </summary>
public sealed partial class SyncScheduler(SyncRound round, SyncBook book, ISyncChannels channels, SyncOptions options, TimeProvider time, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<NodeId, PeerSchedule> _peers = [];

    /// <summary>Whether rounds start on their own (else only when asked).</summary>
    public bool AutoSync { get; set; } = options.AutoSync;

    /// <summary>Completes when a peer's nudge made a round due (the host ticks at once instead of at its next second).</summary>
    public Task Nudged => Volatile.Read(ref _nudged).Task;

    private TaskCompletionSource _nudged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// A peer says its store is at (<paramref name="epoch"/>, <paramref name="seq"/>): a round with it
    /// is due now, unless the last round already reached that (or automatic sync is off).
    /// </summary>
    public void Nudge(NodeId peer, byte[] epoch, long seq)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        lock (_gate)
        {
            var schedule = Schedule(peer);
            if (!AutoSync || schedule.Reached is { } reached && reached.Epoch.AsSpan().SequenceEqual(epoch) && reached.Seq >= seq)
            {
                return;
            }

            schedule.Nudged = true;
        }

        Interlocked.Exchange(ref _nudged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Asks for a round with <paramref name="peer"/> (an audit when <paramref name="audit"/>) at the next tick; completes when it ends.</summary>
    public Task<SyncRoundResult> RequestAsync(NodeId peer, bool audit = false)
    {
        lock (_gate)
        {
            var schedule = Schedule(peer);
            schedule.Audit |= audit;
            return (schedule.Waiting ??= new TaskCompletionSource<SyncRoundResult>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>
    /// One step: for each of <paramref name="linked"/> (peers with a live link, and their tier here),
    /// starts the round that is due. Peers no longer linked fail what waits for them.
    /// </summary>
    /// <returns>The rounds started (they run on).</returns>
    public IReadOnlyList<Task> Tick(IReadOnlyCollection<(NodeId Peer, TrustTier Tier)> linked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linked);
        var started = new List<Task>();
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var running = _peers.Values.Count(p => p.Running);
            // The due peers that waited longest go first (never synced first of all), so none starves behind the others.
            var due = linked.Where(p => PeerPermissions.SyncView(p.Tier) is not null)
                .Select(p => (p.Peer, p.Tier, Schedule: Schedule(p.Peer)))
                .Where(p => !p.Schedule.Running && Due(p.Schedule, now))
                .OrderBy(p => p.Schedule.LastEndedAt ?? long.MinValue).ThenBy(p => p.Peer)
                .ToList();
            foreach (var (peer, tier, schedule) in due)
            {
                if (running >= options.MaxConcurrentRounds)
                {
                    break;
                }

                var audit = schedule.Audit || time.GetElapsedTime(schedule.LastAuditAt, now) >= options.AuditInterval;
                schedule.Running = true;
                schedule.Audit = false;
                schedule.Nudged = false;
                var waiting = schedule.Waiting;
                schedule.Waiting = null;
                running++;
                started.Add(RunAsync(peer, tier, audit, schedule, waiting, cancellationToken));
            }

            foreach (var (peer, schedule) in _peers.Where(p => !p.Value.Running && p.Value.Waiting is not null
                && !linked.Any(l => l.Peer == p.Key && PeerPermissions.SyncView(l.Tier) is not null)))
            {
                schedule.Waiting!.TrySetException(new SyncProtocolException($"node {peer} is not linked (or not core or sandbox here): no round can run"));
                schedule.Waiting = null;
            }
        }

        return started;
    }

    private bool Due(PeerSchedule schedule, long now)
    {
        if (schedule.Waiting is not null || schedule.Audit)
        {
            return true;
        }

        if (!AutoSync)
        {
            return false;
        }

        if (schedule.Nudged && !schedule.LastFailed)
        {
            return true;
        }

        if (schedule.LastEndedAt is not { } ended)
        {
            return true;
        }

        var wait = schedule.LastFailed ? options.RetryInterval : options.CatchUpInterval;
        return time.GetElapsedTime(ended, now) >= wait;
    }

    private async Task RunAsync(NodeId peer, TrustTier tier, bool audit, PeerSchedule schedule, TaskCompletionSource<SyncRoundResult>? waiting,
        CancellationToken cancellationToken)
    {
        await Task.Yield();
        var name = peer.ToString();
        var progress = book.Of(name);
        var startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        var receivedBefore = progress.Snapshot().PacketsReceived;
        progress.Update(s => s with { RoundStartedAt = startedAt });
        SyncRoundResult? result = null;
        string? failure = null;
        try
        {
            var (channel, owned) = await channels.OpenAsync(peer, cancellationToken).ConfigureAwait(false);
            using (owned)
            {
                result = await round.RunAsync(name, tier, channel, progress, audit, cancellationToken).ConfigureAwait(false);
            }

            if (result.Received > 0 || result.Kind == "reconciliation")
            {
                LogRound(logger, name, result.Kind, result.Received, result.Refused);
            }

            waiting?.TrySetResult(result);
        }
        catch (Exception ex)
        {
            failure = cancellationToken.IsCancellationRequested ? "the node is stopping" : Describe(ex);
            if (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, name, failure);
            }

            waiting?.TrySetException(new SyncProtocolException(failure, ex));
        }
        finally
        {
            var endedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            progress.Update(s => s with
            {
                Phase = SyncPhase.Idle,
                LastRoundEndedAt = endedAt,
                LastRoundResult = failure ?? "ok",
                LastRoundKind = result?.Kind ?? s.LastRoundKind,
                Rounds = s.Rounds + 1,
                LastRoundReceived = s.PacketsReceived - receivedBefore,
            });
            lock (_gate)
            {
                schedule.Running = false;
                schedule.LastEndedAt = time.GetTimestamp();
                schedule.LastFailed = failure is not null;
                schedule.Reached = result?.Cursor ?? schedule.Reached;
                if (failure is null && result?.Kind == "reconciliation")
                {
                    schedule.LastAuditAt = schedule.LastEndedAt.Value;
                }
            }
        }
    }

    private static string Describe(Exception ex) => Diagnostics.RemoteText.Printable(ex switch
    {
        Grpc.Core.RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => ex.Message,
    }, 200);

    private PeerSchedule Schedule(NodeId peer)
    {
        if (!_peers.TryGetValue(peer, out var schedule))
        {
            // The audit's period counts from the first sight of the peer: a first contact reconciles anyway (no cursor).
            _peers[peer] = schedule = new PeerSchedule { LastAuditAt = time.GetTimestamp() };
        }

        return schedule;
    }

    private sealed class PeerSchedule
    {
        public bool Running { get; set; }

        public bool Audit { get; set; }

        public bool LastFailed { get; set; }

        public bool Nudged { get; set; }

        public Storage.Sync.SyncCursor? Reached { get; set; }

        public long? LastEndedAt { get; set; }

        public long LastAuditAt { get; set; }

        public TaskCompletionSource<SyncRoundResult>? Waiting { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync with {Peer}: {Kind} took {Received} packets, refused {Refused}.")]
    private static partial void LogRound(ILogger logger, string peer, string kind, long received, long refused);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync with {Peer} failed: {Why}. The next round tries again.")]
    private static partial void LogFailed(ILogger logger, string peer, string why);
}
