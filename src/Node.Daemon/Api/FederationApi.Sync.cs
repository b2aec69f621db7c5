using Grpc.Core;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Sync;
using Node.Federation.Trust;
using Node.Protocol.Api;

namespace Node.Daemon.Api;

/// <summary>FederationService's knowledge sync: where it stands with each peer, a round now, automatic rounds on or off.</summary>
internal sealed partial class FederationApi
{
    public override Task<SyncStatus> GetSyncStatus(GetSyncStatusRequest request, ServerCallContext context) => Task.FromResult(StatusNow());

    public override Task<SyncReply> Sync(SyncRequest request, ServerCallContext context)
    {
        IReadOnlyList<NodeId> asked;
        if (request.NodeId.Length == 0)
        {
            asked = [.. links.Active().Where(p => PeerPermissions.SyncView(peers.TierOf(p)) is not null).Order()];
        }
        else
        {
            var id = ApiArguments.NodeId("node_id", request.NodeId);
            if (!peers.IsRegistered(id))
            {
                throw ApiErrors.NotFound($"No peer {id} is known here; add it ('nodectl peers add HOST:PORT --id {id}') or wait for discovery.");
            }

            var tier = peers.TierOf(id);
            if (PeerPermissions.SyncView(tier) is null)
            {
                throw ApiErrors.FailedPrecondition(
                    $"Peer {id} is {tier.ToString().ToLowerInvariant()} here: only core and sandbox peers sync ('nodectl peers trust {id} core' or 'sandbox').");
            }

            var link = links.Of(id).State;
            if (link != LinkState.Connected)
            {
                throw ApiErrors.FailedPrecondition($"Peer {id} is not linked now (link {LinkStates.Name(link)}): no round can run; see 'nodectl peers show {id}'.");
            }

            asked = [id];
        }

        // Taken before the rounds are asked for: each starts after it, at the scheduler's next tick (within a second).
        var reply = new SyncReply { RequestedAt = time.GetUtcNow().ToUnixTimeMilliseconds() };
        foreach (var peer in asked)
        {
            // The caller follows the round in GetSyncStatus; its failure is logged by the scheduler, and observed here.
            _ = scheduler.RequestAsync(peer, request.Audit).ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        reply.NodeIds.Add(asked.Select(p => p.ToString()));
        return Task.FromResult(reply);
    }

    public override async Task<SyncStatus> SetAutoSync(SetAutoSyncRequest request, ServerCallContext context)
    {
        // Stored first: the sync host reads it at start, so a restart keeps what was set.
        var by = CallerName.Describe(context);
        await store.Writer.WriteAsync(c => c.Sync.SetAutoSync(request.On, by), context.CancellationToken).ConfigureAwait(false);
        scheduler.AutoSync = request.On;
        return StatusNow();
    }

    private SyncStatus StatusNow()
    {
        var (core, shareable) = views.Now();
        var status = new SyncStatus
        {
            AutoSync = scheduler.AutoSync,
            Epoch = Convert.ToHexStringLower(store.Epoch),
            LastSeq = store.Writer.LastPacketSeq,
            CoreView = core,
            ShareableView = shareable,
        };
        foreach (var snapshot in book.All())
        {
            var peer = new PeerSync
            {
                NodeId = snapshot.Peer,
                Tier = ApiTiers.ToApi(peers.TierOf(snapshot.Peer)),
                Link = NodeId.TryParse(snapshot.Peer, out var id, out _) ? LinkStates.Name(links.Of(id).State) : LinkStates.Name(LinkState.Never),
                Phase = snapshot.Phase switch
                {
                    SyncPhase.CatchingUp => "catching_up",
                    SyncPhase.Reconciling => "reconciling",
                    SyncPhase.Fetching => "fetching",
                    _ => "idle",
                },
                View = snapshot.ViewScope ?? "",
                RoundStartedAt = snapshot.RoundStartedAt ?? 0,
                LastRoundEndedAt = snapshot.LastRoundEndedAt ?? 0,
                LastRoundResult = snapshot.LastRoundResult ?? "",
                LastRoundKind = snapshot.LastRoundKind ?? "",
                PacketsReceived = snapshot.PacketsReceived,
                BytesReceived = snapshot.BytesReceived,
                PacketsSent = snapshot.PacketsSent,
                BytesSent = snapshot.BytesSent,
                Refused = snapshot.Refused,
                ReceiveRate = snapshot.LastRoundRate,
                Rounds = snapshot.Rounds,
            };
            if (snapshot.ToReceive is { } toReceive)
            {
                peer.ToReceive = toReceive;
            }

            if (snapshot.ToSend is { } toSend)
            {
                peer.ToSend = toSend;
            }

            status.Peers.Add(peer);
        }

        return status;
    }
}
