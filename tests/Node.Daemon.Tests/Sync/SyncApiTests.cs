using System.Text.Json;
using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Protocol.Packets;
using ApiTrustTier = Node.Protocol.Api.TrustTier;
using static Node.Daemon.Tests.Sync.SyncNodes;

namespace Node.Daemon.Tests.Sync;

/// <summary>
/// Knowledge sync through the local API, end to end between two in-process nodes on loopback:
/// what a core peer puts arrives, what is LOCAL never leaves, a round asked for shows in the status,
/// a retraction follows its packet, and a sandbox peer's packets wait in quarantine for a guardian.
/// </summary>
public sealed class SyncApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_core_packet_reaches_the_core_peer_a_local_one_never_does_and_a_retraction_removes_it_there()
    {
        await using var nodes = await StartAsync(ApiTrustTier.Core, ApiTrustTier.Core);
        var (a, b) = (nodes.A, nodes.B);

        var local = await PutAsync(a, "kept-home", ShareScope.Local);
        var core = await PutAsync(a, "for-core", ShareScope.Core);

        var arrived = await UntilAsync(() => TryGetAsync(b, core), () => $"packet {core} did not reach B");
        Assert.Equal((nodes.IdA, "for-core", ShareScope.Core), (arrived.Author, arrived.Key, arrived.Scope));
        // Stored before the core one, so passed over by now whichever way B took it (catch-up in receive order, or reconciliation of the view).
        Assert.Null(await TryGetAsync(b, local));

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await KnowledgeOf(b).RetractAsync(new RetractRequest { Id = core }, cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("only its author may retract it", refused.Status.Detail, StringComparison.Ordinal);

        var retraction = await KnowledgeOf(a).RetractAsync(new RetractRequest { Id = core }, cancellationToken: Ct);
        Assert.True(retraction.Created);
        Assert.NotEqual(core, retraction.Id);
        Assert.Null(await TryGetAsync(a, core));
        await UntilAsync(async () => await TryGetAsync(b, core) is null ? "" : null, () => $"packet {core} is still on B after its retraction");
        var again = await Assert.ThrowsAsync<RpcException>(async () =>
            await KnowledgeOf(a).RetractAsync(new RetractRequest { Id = core }, cancellationToken: Ct));
        Assert.Equal((StatusCode.NotFound, $"Packet {core} was retracted; it is no longer stored here."), (again.StatusCode, again.Status.Detail));
        Assert.Null(await TryGetAsync(b, local));
    }

    [Fact]
    public async Task A_round_asked_for_shows_in_the_status_of_both_sides_and_in_nodectl()
    {
        await using var nodes = await StartAsync(ApiTrustTier.Core, ApiTrustTier.Core);
        var (a, b) = (nodes.A, nodes.B);
        var core = await PutAsync(a, "counted", ShareScope.Core);
        await UntilAsync(() => TryGetAsync(b, core), () => $"packet {core} did not reach B");

        var asked = await FederationOf(b).SyncAsync(new SyncRequest { NodeId = nodes.IdA, Audit = true }, cancellationToken: Ct);
        Assert.Equal([nodes.IdA], asked.NodeIds);
        var peer = await RoundEndedAsync(b, nodes.IdA, asked.RequestedAt);

        Assert.Equal(("ok", "reconciliation", ApiTrustTier.Core, "connected", "core"),
            (peer.LastRoundResult, peer.LastRoundKind, peer.Tier, peer.Link, peer.View));
        Assert.True(peer.PacketsReceived >= 1 && peer.BytesReceived > 0 && peer.Rounds >= 2, peer.ToString());
        // Exact after a reconciliation: nothing is left either way.
        Assert.Equal((true, 0L, true, 0L), (peer.HasToReceive, peer.ToReceive, peer.HasToSend, peer.ToSend));
        var statusA = await StatusAsync(a);
        var servedB = statusA.Peers.Single(p => p.NodeId == nodes.IdB);
        Assert.True(servedB.PacketsSent >= 1 && servedB.BytesSent > 0, servedB.ToString());
        Assert.True(statusA.AutoSync);
        Assert.Matches("^[0-9a-f]{32,}$", statusA.Epoch);
        Assert.True(statusA.LastSeq >= 1);
        // Core peers in sync serve the same core view (the digest over each packet's HLC and id).
        var views = await UntilAsync(async () => (await StatusAsync(a), await StatusAsync(b)) is var (x, y) && x.CoreView.Equals(y.CoreView) ? x : null,
            () => "A's and B's core views differ");
        Assert.True(views.CoreView.Packets >= 1);
        Assert.Matches("^[0-9a-f]{64}$", views.CoreView.Digest);

        // Every linked core and sandbox peer when no id is given.
        var all = await FederationOf(b).SyncAsync(new SyncRequest(), cancellationToken: Ct);
        Assert.Equal([nodes.IdA], all.NodeIds);
        await RoundEndedAsync(b, nodes.IdA, all.RequestedAt);

        // The real nodectl, as an operator runs it.
        var shown = await NodeCtlProcess.RunAsync("jit", "federation", "status", "--json", "--socket", b.Socket);
        Assert.True(shown.Code == 0, shown.ToString());
        using var json = JsonDocument.Parse(shown.Output);
        var row = Assert.Single(json.RootElement.GetProperty("peers").EnumerateArray());
        Assert.Equal((nodes.IdA, "core", "connected", "idle", "ok"), (row.GetProperty("nodeId").GetString(), row.GetProperty("tier").GetString(),
            row.GetProperty("link").GetString(), row.GetProperty("phase").GetString(), row.GetProperty("lastRoundResult").GetString()));
        Assert.True(json.RootElement.GetProperty("autoSync").GetBoolean());
        var waited = await NodeCtlProcess.RunAsync("jit", "federation", "sync", nodes.IdA, "--wait", "--socket", b.Socket);
        Assert.True(waited.Code == 0, waited.ToString());
        Assert.Contains($"{nodes.IdA}: ", waited.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_peers_packet_waits_in_quarantine_until_a_guardian_promotes_or_rejects_it_for_good()
    {
        await using var nodes = await StartAsync(ApiTrustTier.Sandbox, ApiTrustTier.Sandbox);
        var (a, b) = (nodes.A, nodes.B);
        var coreOnly = await PutAsync(a, "core-only", ShareScope.Core);
        var shared = await PutAsync(a, "shared", ShareScope.Shareable);

        var held = await UntilAsync(async () => (await QuarantineAsync(b)).FirstOrDefault(q => q.Packet.Id == shared),
            () => $"packet {shared} did not reach B's quarantine");
        Assert.Equal((nodes.IdA, 0L, "shared", nodes.IdA), (held.FromPeer, held.Packet.Seq, held.Packet.Key, held.Packet.Author));
        Assert.Null(await TryGetAsync(b, shared));
        // A holds B as sandbox: B's view of A is SHAREABLE only.
        Assert.DoesNotContain(await QuarantineAsync(b), q => q.Packet.Id == coreOnly);

        var promoted = await KnowledgeOf(b).PromoteAsync(new QuarantineVerdict { Id = shared, Reason = "checked by hand" }, cancellationToken: Ct);
        Assert.Equal(shared, promoted.Id);
        Assert.True(promoted.Seq > 0);
        Assert.Equal(shared, (await TryGetAsync(b, shared))?.Id);
        Assert.Empty(await QuarantineAsync(b));

        var doubtful = await PutAsync(a, "doubtful", ShareScope.Shareable);
        await UntilAsync(async () => (await QuarantineAsync(b)).FirstOrDefault(q => q.Packet.Id == doubtful), () => $"packet {doubtful} did not reach B's quarantine");
        var rejected = await KnowledgeOf(b).RejectAsync(new QuarantineVerdict { Id = doubtful }, cancellationToken: Ct);
        Assert.Equal((doubtful, nodes.IdA), (rejected.Packet.Id, rejected.FromPeer));
        var twice = await Assert.ThrowsAsync<RpcException>(async () =>
            await KnowledgeOf(b).RejectAsync(new QuarantineVerdict { Id = doubtful }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, twice.StatusCode);

        // A full reconciliation offers it again; it is not taken.
        var audit = await FederationOf(b).SyncAsync(new SyncRequest { NodeId = nodes.IdA, Audit = true }, cancellationToken: Ct);
        var round = await RoundEndedAsync(b, nodes.IdA, audit.RequestedAt);
        Assert.Equal(("ok", "reconciliation", "shareable"), (round.LastRoundResult, round.LastRoundKind, round.View));
        Assert.Empty(await QuarantineAsync(b));
        Assert.Null(await TryGetAsync(b, doubtful));
        Assert.Null(await TryGetAsync(b, coreOnly));
    }

    [Fact]
    public async Task Sync_refuses_an_unknown_peer_one_that_does_not_sync_and_one_not_linked()
    {
        await using var node = await ApiNode.StartAsync();
        var federation = FederationOf(node);
        var peers = new PeerService.PeerServiceClient(node.Channel);
        var (stranger, unknown, away) = (NewId(), NewId(), NewId());
        await peers.AddAsync(new AddPeerRequest { Address = "127.0.0.1:9", NodeId = unknown }, cancellationToken: Ct);
        await peers.AddAsync(new AddPeerRequest { Address = "127.0.0.1:9", NodeId = away }, cancellationToken: Ct);
        await peers.SetTrustAsync(new SetTrustRequest { NodeId = away, Tier = ApiTrustTier.Core, Reason = "test" }, cancellationToken: Ct);

        async Task<RpcException> Refused(string id) =>
            await Assert.ThrowsAsync<RpcException>(async () => await federation.SyncAsync(new SyncRequest { NodeId = id }, cancellationToken: Ct));

        var notFound = await Refused(stranger);
        var notSyncing = await Refused(unknown);
        var notLinked = await Refused(away);
        var malformed = await Refused("not-a-node-id");

        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Equal((StatusCode.FailedPrecondition, true), (notSyncing.StatusCode, notSyncing.Status.Detail.Contains("is unknown here", StringComparison.Ordinal)));
        Assert.Equal((StatusCode.FailedPrecondition, true), (notLinked.StatusCode, notLinked.Status.Detail.Contains("is not linked now", StringComparison.Ordinal)));
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Empty((await federation.SyncAsync(new SyncRequest(), cancellationToken: Ct)).NodeIds);
        var promote = await Assert.ThrowsAsync<RpcException>(async () =>
            await KnowledgeOf(node).PromoteAsync(new QuarantineVerdict { Id = new string('a', 64) }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, promote.StatusCode);
    }

    [Fact]
    public async Task Auto_sync_switched_off_stays_off_across_a_restart()
    {
        var node = await ApiNode.StartAsync();
        try
        {
            var off = await FederationOf(node).SetAutoSyncAsync(new SetAutoSyncRequest { On = false }, cancellationToken: Ct);
            Assert.False(off.AutoSync);
            Assert.False((await StatusAsync(node)).AutoSync);
            await FederationOf(node).SetAutoSyncAsync(new SetAutoSyncRequest { On = false }, cancellationToken: Ct);
            // One event for the change; switching it to what it is already records nothing.
            using (var tail = new LogService.LogServiceClient(node.Channel).Tail(new TailLogRequest { Last = 1000 }, cancellationToken: Ct))
            {
                var changes = await tail.ResponseStream.ReadAllAsync(Ct).Where(e => e.Kind == "sync.auto_changed").ToListAsync(Ct);
                using var payload = System.Text.Json.JsonDocument.Parse(Assert.Single(changes).Payload);
                Assert.False(payload.RootElement.GetProperty("on").GetBoolean());
                Assert.Equal(Environment.UserName, payload.RootElement.GetProperty("by").GetString()); // the Unix user on the socket
            }

            node = await node.RestartAsync();

            // The sync host reads the stored switch as it starts, which may be just after the node is ready.
            await UntilAsync(async () => (await StatusAsync(node)).AutoSync ? null : "", () => "auto-sync is on again after the restart");
            Assert.True((await FederationOf(node).SetAutoSyncAsync(new SetAutoSyncRequest { On = true }, cancellationToken: Ct)).AutoSync);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    private static string NewId() =>
        Node.Federation.Identity.NodeId.FromPublicKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToString();
}
