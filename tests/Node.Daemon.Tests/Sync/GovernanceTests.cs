using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Protocol.Packets;
using Node.Storage;
using Node.Storage.Decisions;
using static Node.Daemon.Tests.Sync.SyncNodes;
using ApiTrustTier = Node.Protocol.Api.TrustTier;

namespace Node.Daemon.Tests.Sync;

/// <summary>
/// Knowledge governance of the quarantine between two linked in-process nodes: every packet a sandbox peer sends gets
/// a <c>promotion</c> decision through the decision matrix; a guardian's verdict on it is carried out; a peer with a
/// record earns automatic promotion; an approval recorded before a crash is carried out after it.
/// </summary>
public sealed class GovernanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DecisionService.DecisionServiceClient DecisionsOf(ApiNode node) => new(node.Channel);

    private static Task<Decision> DecisionAboutAsync(ApiNode node, string packet, DecisionStatus? status = null) =>
        UntilAsync(async () => (await DecisionsOf(node).ListAsync(new ListDecisionsRequest { All = true, PageSize = 500 }, cancellationToken: Ct))
                .Decisions.FirstOrDefault(d => d.Subject == packet && (status is null || d.Status == status)),
            () => $"no promotion decision about {packet}{(status is null ? "" : $" {status}")}");

    [Fact]
    public async Task A_sandbox_peers_packet_gets_a_promotion_decision_whose_approval_promotes_it_and_whose_rejection_drops_it()
    {
        await using var nodes = await StartAsync(ApiTrustTier.Sandbox, ApiTrustTier.Sandbox);
        var (a, b) = (nodes.A, nodes.B);
        var shared = await PutAsync(a, "shared", ShareScope.Shareable);

        var decision = await DecisionAboutAsync(b, shared);
        Assert.Equal(("promotion", DecisionStatus.Pending), (decision.Type, decision.Status));
        Assert.Equal(0.5, decision.Confidence, 9);
        using (var explanation = JsonDocument.Parse(decision.Explanation))
        {
            var root = explanation.RootElement;
            Assert.Equal((shared, nodes.IdA, nodes.IdA), (root.GetProperty("packet").GetString(), root.GetProperty("from_peer").GetString(),
                root.GetProperty("author").GetString()));
            Assert.Equal(["relayer_record", "author", "corroboration"], root.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
            Assert.Equal("escalated", root.GetProperty("verdict").GetProperty("outcome").GetString());
        }

        Assert.Null(await TryGetAsync(b, shared));
        var approved = await DecisionsOf(b).ApproveAsync(new GuardianVerdict { Id = decision.Id, Reason = "read it", Guardian = "alice" }, cancellationToken: Ct);
        Assert.Equal((DecisionStatus.Approved, "alice"), (approved.Status, approved.DecidedBy));
        Assert.Equal(shared, (await TryGetAsync(b, shared))?.Id);
        Assert.Empty(await QuarantineAsync(b));

        var doubtful = await PutAsync(a, "doubtful", ShareScope.Shareable);
        var second = await DecisionAboutAsync(b, doubtful);
        var rejected = await DecisionsOf(b).RejectAsync(new GuardianVerdict { Id = second.Id, Reason = "wrong", Guardian = "alice" }, cancellationToken: Ct);
        Assert.Equal(DecisionStatus.Rejected, rejected.Status);
        Assert.Empty(await QuarantineAsync(b));
        Assert.Null(await TryGetAsync(b, doubtful));
        var again = await Assert.ThrowsAsync<RpcException>(async () =>
            await KnowledgeOf(b).RejectAsync(new QuarantineVerdict { Id = doubtful }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task After_nine_promotions_by_a_guardian_the_peers_next_packet_is_promoted_by_governance()
    {
        await using var nodes = await StartAsync(ApiTrustTier.Sandbox, ApiTrustTier.Sandbox);
        var (a, b) = (nodes.A, nodes.B);
        var first = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            first.Add(await PutAsync(a, $"checked-{i}", ShareScope.Shareable));
        }

        await UntilAsync(async () => (await QuarantineAsync(b)).Count == 9 ? "all" : null, () => "the nine packets did not all reach B's quarantine");
        foreach (var id in first)
        {
            // A guardian promotes the packet itself; its pending decision (if governance has made it yet) is approved with it.
            await KnowledgeOf(b).PromoteAsync(new QuarantineVerdict { Id = id, Reason = "checked" }, cancellationToken: Ct);
        }

        var tenth = await PutAsync(a, "trusted-now", ShareScope.Shareable);

        var promoted = await UntilAsync(() => TryGetAsync(b, tenth), () => $"packet {tenth} was not promoted");
        Assert.Equal(tenth, promoted.Id);
        var decision = await DecisionAboutAsync(b, tenth);
        Assert.Equal((DecisionStatus.AutoApproved, "auto"), (decision.Status, decision.DecidedBy));
        Assert.Equal(10.0 / 11, decision.Confidence, 9);
        var decided = (await DecisionsOf(b).ListAsync(new ListDecisionsRequest { All = true, PageSize = 500 }, cancellationToken: Ct)).Decisions
            .Where(d => first.Contains(d.Subject)).ToList();
        Assert.All(decided, d => Assert.Equal(DecisionStatus.Approved, d.Status));
    }

    [Fact]
    public async Task An_approval_recorded_before_a_crash_is_carried_out_after_the_restart()
    {
        var nodes = await StartAsync(ApiTrustTier.Sandbox, ApiTrustTier.Sandbox);
        ApiNode? restarted = null;
        try
        {
            var shared = await PutAsync(nodes.A, "shared", ShareScope.Shareable);
            var pending = await DecisionAboutAsync(nodes.B, shared);

            // As if the node died between recording an approval and carrying it out.
            restarted = await nodes.B.RestartAsync(async directory =>
            {
                await using var store = NodeStore.Open(Path.Combine(directory, ".node"), new StoreOptions(), TimeProvider.System, NullLogger.Instance);
                Assert.Equal(VerdictOutcome.Decided, await store.Writer.WriteAsync(c => c.Decisions.Decide(pending.Id, approve: true, "alice", "before the crash"), Ct));
            });

            var promoted = await UntilAsync(() => TryGetAsync(restarted, shared), () => $"packet {shared} was not promoted after the restart");
            Assert.Equal(shared, promoted.Id);
            Assert.Empty(await QuarantineAsync(restarted));
        }
        finally
        {
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }

            await nodes.DisposeAsync();
        }
    }
}
