using Google.Protobuf;
using Node.Federation.Packets;
using Microsoft.Extensions.Logging;
using Node.Protocol.Peer;
using Node.Storage.Packets;
using Node.Storage.Sync;

namespace Node.Federation.Sync;

// Reconciliation: compare sets, fetch what this node lacks, and return the cursor to catch up from.
public sealed partial class SyncRound
{
    /// <summary>
    /// Most reconciliation round trips with one peer in one sync round: a peer that keeps splitting is
    /// cut off. As many as the reconciliation itself allows (a first contact from an empty side with
    /// 1,000,000 packets to learn takes about 600 at 60 KiB frames).
    /// </summary>
    public static readonly int MaxReconcileRounds = Reconciliation.ReconcileOptions.Default.MaxRounds;

    private async Task<SyncCursor> ReconcileAsync(string peer, PacketScope ours, ISyncPeer channel, Tally tally, CancellationToken cancellationToken)
    {
        tally.Progress.Update(s => s with { Phase = SyncPhase.Reconciling, ToReceive = null, ToSend = null });
        var view = ours;
        for (var attempt = 0; ; attempt++)
        {
            // The universe is the view the peer serves us; our side of it holds only what we would show the peer
            // (a wider view served than ours leaves our narrower packets out: they show as "needed", and are not fetched, being here).
            var set = BuildSet(view > ours ? view : ours);
            var session = set.Start();
            var request = new ReconcileRequest { ViewScope = (uint)view, Message = UnsafeByteOperations.UnsafeWrap(session.First) };
            var have = new List<byte[]>();
            var need = new List<byte[]>();
            byte[]? epoch = null;
            long lastSeq = long.MaxValue;
            long snapshot = 0;
            var restarted = false;
            for (var round = 0; ; round++)
            {
                if (round >= MaxReconcileRounds)
                {
                    throw new SyncProtocolException($"reconciliation with {peer} did not end in {MaxReconcileRounds} round trips");
                }

                var reply = await channel.ReconcileAsync(request, cancellationToken).ConfigureAwait(false);
                if (reply.Epoch.Length != SyncLimits.EpochLength || epoch is not null && !reply.Epoch.Span.SequenceEqual(epoch))
                {
                    throw new SyncProtocolException($"reconciliation with {peer}: its epoch is missing or changed during the reconciliation");
                }

                epoch ??= reply.Epoch.ToByteArray();
                if (reply.ViewScope != (uint)view)
                {
                    // The peer serves us another view than we proposed: start again with the one it serves (once).
                    if (attempt > 0 || round > 0 || reply.ViewScope is not ((uint)PacketScope.Core or (uint)PacketScope.Shareable))
                    {
                        throw new SyncProtocolException($"reconciliation with {peer}: it answered for view {reply.ViewScope}, asked {(uint)view}");
                    }

                    view = (PacketScope)reply.ViewScope;
                    restarted = true;
                    break;
                }

                if (round == 0)
                {
                    snapshot = reply.Snapshot;
                }
                else if (reply.Snapshot != snapshot)
                {
                    throw new SyncProtocolException($"reconciliation with {peer}: its replies came from two snapshots ({snapshot}, {reply.Snapshot})");
                }

                lastSeq = Math.Min(lastSeq, reply.LastSeq);
                if (!session.TryStep(reply.Message.Memory, have, need, out var next, out var error))
                {
                    throw new SyncProtocolException($"reconciliation with {peer}: {error}");
                }

                if (next is null)
                {
                    break;
                }

                request = new ReconcileRequest { ViewScope = (uint)view, Message = UnsafeByteOperations.UnsafeWrap(next), Snapshot = snapshot };
            }

            if (restarted)
            {
                continue;
            }

            var wanted = Unknown(need, tally.Destination == PacketDestination.KnowledgeBase);
            LogReconciled(logger, peer, set.Count, need.Count, wanted.Count, have.Count);
            tally.Progress.Update(s => s with { ToReceive = wanted.Count, ToSend = have.Count, ViewScope = ViewName(view) });
            await FetchAsync(peer, view, wanted, channel, tally, cancellationToken).ConfigureAwait(false);
            var cursor = new SyncCursor(peer, view, epoch!, lastSeq == long.MaxValue ? 0 : lastSeq, time.GetUtcNow().ToUnixTimeMilliseconds());
            await store.Writer.WriteAsync(c => c.Sync.SaveCursor(cursor), cancellationToken).ConfigureAwait(false);
            return cursor;
        }
    }

    private ViewSet BuildSet(PacketScope view)
    {
        using var reader = store.OpenReader();
        return ViewSet.Build(reader.Sync.Keys(view), 0);
    }

    // What reconciliation found missing, less what is here in another form (held, rejected; quarantined, unless the knowledge base takes it now).
    private List<byte[]> Unknown(List<byte[]> need, bool forKnowledgeBase)
    {
        using var reader = store.OpenReader();
        return need.Where(id => !reader.Sync.Knows(id, forKnowledgeBase)).ToList();
    }

    // Fetches in batches, FetchWindow requests in flight, and checks one batch while the writer commits the one before:
    // the network, the signature checks (on every core) and the store work side by side.
    private async Task FetchAsync(string peer, PacketScope view, List<byte[]> wanted, ISyncPeer channel, Tally tally, CancellationToken cancellationToken)
    {
        tally.Progress.Update(s => s with { Phase = SyncPhase.Fetching });
        var queue = new Queue<ByteString>(wanted.Select(ByteString.CopyFrom));
        var inFlight = new Queue<Task<FetchReply>>();
        Task? committing = null;
        var asked = 0;
        try
        {
            await FetchLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            if (committing is not null)
            {
                await committing.ConfigureAwait(false);
            }
        }

        async Task FetchLoopAsync()
        {
            while (queue.Count > 0 || inFlight.Count > 0)
            {
                while (queue.Count > 0 && inFlight.Count < FetchWindow)
                {
                    var request = new FetchRequest { ViewScope = (uint)view };
                    while (queue.Count > 0 && request.Ids.Count < SyncLimits.MaxFetchIds)
                    {
                        request.Ids.Add(queue.Dequeue());
                    }

                    asked += request.Ids.Count;
                    inFlight.Enqueue(channel.FetchAsync(request, cancellationToken));
                }

                var reply = await inFlight.Dequeue().ConfigureAwait(false);
                if (reply.Packets.Count + reply.Absent.Count + reply.Deferred.Count > SyncLimits.MaxFetchIds)
                {
                    throw new SyncProtocolException($"fetch from {peer}: more answers than ids asked");
                }

                if (reply.Packets.Count == 0 && reply.Deferred.Count > 0)
                {
                    throw new SyncProtocolException($"fetch from {peer}: nothing sent, everything deferred");
                }

                var page = await CheckAsync(reply.Packets, reply.AuthorKeys, cancellationToken).ConfigureAwait(false);
                if (committing is not null)
                {
                    await committing.ConfigureAwait(false);
                }

                committing = CommitAsync(page, tally, cancellationToken);
                foreach (var deferred in reply.Deferred)
                {
                    queue.Enqueue(deferred);
                }

                if (reply.Absent.Count > 0)
                {
                    tally.Progress.Update(s => s with { ToReceive = s.ToReceive is { } n ? Math.Max(0, n - reply.Absent.Count) : null });
                }

                if (asked > 4 * Math.Max(wanted.Count, SyncLimits.MaxFetchIds))
                {
                    throw new SyncProtocolException($"fetch from {peer}: the peer keeps deferring what was asked");
                }
            }
        }
    }

    /// <summary>The name of a view as status shows it.</summary>
    public static string ViewName(PacketScope view) => view == PacketScope.Core ? "core" : "shareable";

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync with {Peer}: reconciled {Count} packets here; the peer has {Need} this node lacks ({Wanted} to fetch), lacks {Have} of ours.")]
    private static partial void LogReconciled(ILogger logger, string peer, int count, int need, int wanted, int have);
}
