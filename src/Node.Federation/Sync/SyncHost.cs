using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Link.Client;
using Node.Federation.Packets;
using Node.Federation.Peers;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Federation.Sync;

/// <summary>
/// Knowledge sync in the daemon: at start, records the node's own keys, applies the retractions a
/// restore carried from the store it replaced, and indexes packets stored before scopes were recorded; then, every second, hands the linked peers and their tiers to the
/// <see cref="SyncScheduler"/>, which runs the rounds due over the peer link.
/// </summary>
public sealed partial class SyncHost(NodeStore store, IdentityHost identity, AuthorKeys keys, PeerRegistry peers, PeerLinks links, SyncScheduler scheduler,
    SyncBeacon beacon, TimeProvider time, ILogger<SyncHost> logger) : BackgroundService
{
    /// <summary>How often the linked peers are looked at.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    /// <summary>Packets indexed per write at start.</summary>
    private const int IndexBatch = 1000;

    /// <summary>The scheduler, for the API (<c>nodectl federation sync</c>, <c>auto-sync</c>).</summary>
    public SyncScheduler Scheduler => scheduler;

    /// <inheritdoc />
    /// <remarks>
    /// Before the node reports ready (hosted services start one after another, then the host is started): its own keys
    /// recorded, and the retractions a restore carried applied, so nothing they retract is ever served.
    /// </remarks>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await keys.AddOwnAsync(identity, cancellationToken).ConfigureAwait(false);
        await ApplyCarriedRetractionsAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Read before the first await, so before the node reports ready: a SetAutoSync right after start is not undone.
        using (var reader = store.OpenReader())
        {
            scheduler.AutoSync = reader.Sync.AutoSync() ?? scheduler.AutoSync;
        }

        await IndexScopesAsync(stoppingToken).ConfigureAwait(false);

        var running = new List<Task>();
        beacon.PeerMoved += scheduler.Nudge;
        using var timer = new PeriodicTimer(TickInterval, time);
        try
        {
            var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            while (true)
            {
                running.RemoveAll(t => t.IsCompleted);
                var linked = links.Active().Select(p => (p, peers.TierOf(p))).ToList();
                running.AddRange(scheduler.Tick(linked, stoppingToken));
                // A nudge (a peer stored something) ticks at once; otherwise every second.
                if (await Task.WhenAny(tick, scheduler.Nudged).ConfigureAwait(false) == tick)
                {
                    if (!await tick.ConfigureAwait(false))
                    {
                        break;
                    }

                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the rounds end with the token.
        }
        finally
        {
            beacon.PeerMoved -= scheduler.Nudge;
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    // After a restore: the retractions the replaced store held, through the intake as any arrival (verified; the
    // target removed), so a backup from before a retraction does not bring the retracted value back.
    private async Task ApplyCarriedRetractionsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]> envelopes;
        IReadOnlyList<byte[]> authorKeys;
        using (var reader = store.OpenReader())
        {
            (envelopes, authorKeys) = reader.Sync.CarriedRetractions();
        }

        if (envelopes.Count == 0)
        {
            return;
        }

        await keys.LearnAsync(authorKeys.Select(k => (ReadOnlyMemory<byte>)k),
            () => envelopes.Select(e => PacketBodies.TryRead(e)?.Author).OfType<string>().ToHashSet(StringComparer.Ordinal),
            cancellationToken).ConfigureAwait(false);
        var intake = new PacketIntake(store.Writer, keys);
        var outcomes = new Dictionary<IntakeOutcome, int>();
        foreach (var batch in envelopes.Chunk(IndexBatch))
        {
            var results = await intake.AcceptBatchAsync([.. batch.Select(e => new OfferedPacket(e))], fromPeer: null, PacketDestination.KnowledgeBase,
                cancellationToken).ConfigureAwait(false);
            foreach (var result in results)
            {
                outcomes[result.Outcome] = outcomes.GetValueOrDefault(result.Outcome) + 1;
            }
        }

        await store.Writer.WriteAsync(c => c.Sync.ClearCarriedRetractions(), cancellationToken).ConfigureAwait(false);
        var applied = outcomes.GetValueOrDefault(IntakeOutcome.Stored) + outcomes.GetValueOrDefault(IntakeOutcome.Held);
        var refused = envelopes.Count - applied - outcomes.GetValueOrDefault(IntakeOutcome.Duplicate);
        LogCarried(logger, applied, envelopes.Count, refused);
    }

    // Packets stored before schema 7 have no scope yet (in no view until indexed): read it from each envelope.
    private async Task IndexScopesAsync(CancellationToken cancellationToken)
    {
        var indexed = 0;
        while (true)
        {
            IReadOnlyList<(long Seq, byte[] Envelope)> batch;
            using (var reader = store.OpenReader())
            {
                batch = reader.Sync.WithoutScope(IndexBatch);
            }

            if (batch.Count == 0)
            {
                break;
            }

            var scopes = batch.Select(p => (p.Seq, Scope: ScopeOf(p.Envelope))).ToList();
            await store.Writer.WriteAsync(c => scopes.ForEach(p => c.Sync.SetScope(p.Seq, p.Scope)), cancellationToken).ConfigureAwait(false);
            indexed += batch.Count;
        }

        if (indexed > 0)
        {
            LogIndexed(logger, indexed);
        }
    }

    // A stored envelope that no longer parses is LOCAL: in no view (a scrub marks it).
    private static PacketScope ScopeOf(byte[] envelope) => PacketBodies.TryRead(envelope) is { } body ? PacketScopes.Of(body.Scope) : PacketScope.Local;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Applied} of the {Carried} retractions the store replaced by a restore held ({Refused} refused).")]
    private static partial void LogCarried(ILogger logger, int applied, int carried, int refused);

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexed the share scope of {Count} packets stored before sync (schema 7).")]
    private static partial void LogIndexed(ILogger logger, int count);
}

/// <summary>Sync rounds over the peer link: the link's channel when this node dialled it, else a connection of the round's own.</summary>
public sealed class PeerLinkSyncChannels(PeerLinkHost host, TimeProvider time) : ISyncChannels
{
    /// <inheritdoc />
    public async Task<(ISyncPeer Peer, IDisposable? Owned)> OpenAsync(NodeId peer, CancellationToken cancellationToken)
    {
        var (channel, owned) = await host.ChannelAsync(peer, cancellationToken).ConfigureAwait(false);
        return (new GrpcSyncPeer(channel, time), owned ? channel : null);
    }
}
