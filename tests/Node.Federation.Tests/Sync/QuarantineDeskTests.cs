using Node.Federation.Packets;
using Node.Federation.Sync;
using Node.Federation.Trust;
using Node.Protocol.Packets;
using Node.Storage.Decisions;
using VerdictOutcome = Node.Federation.Sync.VerdictOutcome;

namespace Node.Federation.Tests.Sync;

/// <summary>
/// Quarantine's way out: a promotion or a rejection goes through the intake's rules, decides the promotion decision
/// still pending about the packet in the same write, and loses nothing when the packet cannot be taken now.
/// </summary>
public sealed class QuarantineDeskTests : IAsyncDisposable
{
    private readonly SyncLab _lab = new();

    public ValueTask DisposeAsync() => _lab.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A holds B as sandbox, so what B pulls from A waits in B's quarantine.
    private (LabNode A, LabNode B, QuarantineDesk Desk) SandboxPair()
    {
        var a = _lab.Add(1);
        var b = _lab.Add(2);
        a.TrustBothWays(b, TrustTier.Sandbox);
        return (a, b, new QuarantineDesk(b.Store, b.Keys));
    }

    private static Task<int> PendingDecisionAsync(LabNode node, string id, byte[] packet) =>
        node.Store.Writer.WriteAsync(c =>
        {
            c.Decisions.Insert(new DecisionRecord(id, QuarantineDesk.DecisionType, DecisionStatuses.Pending, 0.5, 1, null, null,
                "confidence below the threshold 0.9: a guardian decides", "{}", QuarantineDesk.SubjectOf(packet)));
            return 0;
        }, Ct);

    private static DecisionRecord DecisionOf(LabNode node, string id)
    {
        using var reader = node.Store.OpenReader();
        return reader.Decisions.Find(id)!;
    }

    [Fact]
    public async Task A_guardians_promotion_decides_the_pending_decision_about_the_packet_in_the_same_write()
    {
        var (a, b, desk) = SandboxPair();
        var shared = await a.PutAsync("shared", ShareScope.Shareable);
        await b.PullAsync(a);
        await PendingDecisionAsync(b, "d1", shared);

        var verdict = await desk.PromoteAsync(shared, "alice", "checked by hand", Ct);

        Assert.Equal(VerdictOutcome.Done, verdict.Outcome);
        Assert.True(b.Has(shared));
        Assert.Empty(b.QuarantinedIds());
        var decision = DecisionOf(b, "d1");
        Assert.Equal((DecisionStatuses.Approved, "alice", "checked by hand"), (decision.Status, decision.DecidedBy, decision.Reason));
        using var reader = b.Store.OpenReader();
        Assert.Equal((1L, 0L), reader.Sync.VerdictsOn(a.Id, QuarantineDesk.Governance));
        Assert.Equal(["packet.accepted", "packet.promoted", "decision.decided"], reader.Events.Tail(3).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_rejection_rejects_the_pending_decision_and_governances_promotions_are_not_a_guardians_record()
    {
        var (a, b, desk) = SandboxPair();
        var doubtful = await a.PutAsync("doubtful", ShareScope.Shareable);
        var fine = await a.PutAsync("fine", ShareScope.Shareable);
        await b.PullAsync(a);
        await PendingDecisionAsync(b, "d1", doubtful);

        Assert.Equal(VerdictOutcome.Done, (await desk.RejectAsync(doubtful, "bob", null, Ct)).Outcome);
        Assert.Equal(VerdictOutcome.Done, (await desk.PromoteAsync(fine, QuarantineDesk.Governance, "decision d2", Ct)).Outcome);

        var decision = DecisionOf(b, "d1");
        Assert.Equal((DecisionStatuses.Rejected, "bob", "rejected out of quarantine"), (decision.Status, decision.DecidedBy, decision.Reason));
        Assert.Equal(VerdictOutcome.NotInQuarantine, (await desk.PromoteAsync(doubtful, "bob", null, Ct)).Outcome);
        using var reader = b.Store.OpenReader();
        Assert.Equal((0L, 1L), reader.Sync.VerdictsOn(a.Id, QuarantineDesk.Governance));
        Assert.True(b.Has(fine));
    }

    [Fact]
    public async Task A_packet_whose_dependency_is_missing_while_the_hold_is_full_stays_in_quarantine_with_its_decision_pending()
    {
        var (a, b, desk) = SandboxPair();
        var coreOnly = await a.PutAsync("base", ShareScope.Core); // not in B's sandbox view
        var dependent = await a.PutDependingAsync("on-base", ShareScope.Shareable, coreOnly);
        await b.PullAsync(a);
        Assert.Contains(QuarantineDesk.SubjectOf(dependent), b.QuarantinedIds());
        await PendingDecisionAsync(b, "d1", dependent);
        await b.Store.Writer.WriteAsync(c =>
        {
            for (var i = 0; i < PacketIntake.MaxHeldPackets; i++)
            {
                var id = new byte[32];
                BitConverter.TryWriteBytes(id, i + 1);
                c.HoldPacket(id, [1], null, [new byte[32]]);
            }

            return 0;
        }, Ct);

        var full = await desk.PromoteAsync(dependent, "alice", null, Ct);

        Assert.Equal(VerdictOutcome.Invalid, full.Outcome);
        Assert.Equal("its dependencies are missing and the hold is full", full.Detail);
        Assert.Contains(QuarantineDesk.SubjectOf(dependent), b.QuarantinedIds());
        Assert.Equal(DecisionStatuses.Pending, DecisionOf(b, "d1").Status);
    }

    [Fact]
    public async Task A_packet_whose_dependency_is_missing_is_promoted_into_the_hold_and_stored_when_it_arrives()
    {
        var (a, b, desk) = SandboxPair();
        var coreOnly = await a.PutAsync("base", ShareScope.Core);
        var dependent = await a.PutDependingAsync("on-base", ShareScope.Shareable, coreOnly);
        await b.PullAsync(a);

        var verdict = await desk.PromoteAsync(dependent, "alice", null, Ct);

        Assert.Equal((VerdictOutcome.Done, IntakeOutcome.Held), (verdict.Outcome, verdict.Intake!.Outcome));
        Assert.Empty(b.QuarantinedIds());
        Assert.False(b.Has(dependent));
        // A now trusts B with its core view: the dependency arrives and releases the promoted packet.
        a.TrustBothWays(b, TrustTier.Core);
        await b.PullAsync(a, audit: true);
        Assert.True(b.Has(coreOnly));
        Assert.True(b.Has(dependent));
    }

    [Fact]
    public async Task A_packet_retracted_by_its_author_while_it_waited_is_dropped_and_its_decision_rejected()
    {
        var (a, b, desk) = SandboxPair();
        var value = await a.PutAsync("k", ShareScope.Shareable);
        await b.PullAsync(a);
        await PendingDecisionAsync(b, "d1", value);
        var retraction = await a.PutAsync("k", ShareScope.Shareable, "", PacketKind.Retraction, value);
        await b.PullAsync(a); // a retraction skips quarantine and removes its author's target from it

        Assert.True(b.Has(retraction));
        Assert.Empty(b.QuarantinedIds());
        Assert.Equal(VerdictOutcome.NotInQuarantine, (await desk.PromoteAsync(value, "alice", null, Ct)).Outcome);
        // Its decision is left pending, about a packet no longer in quarantine: governance finds it to close it.
        using var reader = b.Store.OpenReader();
        var left = Assert.Single(reader.Sync.PendingAboutLeftQuarantine(QuarantineDesk.DecisionType, 10));
        Assert.Equal(("d1", false), (left.Decision, left.Stored));
        Assert.Equal(value, left.Packet);
    }

    [Fact]
    public async Task A_pending_decision_whose_packet_arrived_from_a_core_peer_is_found_with_the_packet_stored()
    {
        var (a, b, _) = SandboxPair();
        var value = await a.PutAsync("k", ShareScope.Shareable);
        await b.PullAsync(a);
        await PendingDecisionAsync(b, "d1", value);
        var quarantined = QuarantineDesk.SubjectOf(value);

        var c = _lab.Add(3);
        c.TrustBothWays(a, TrustTier.Core);
        c.TrustBothWays(b, TrustTier.Core);
        await c.PullAsync(a);
        await b.PullAsync(c); // the core copy replaces the quarantined one

        Assert.True(b.Has(value));
        Assert.DoesNotContain(quarantined, b.QuarantinedIds());
        using var reader = b.Store.OpenReader();
        var left = Assert.Single(reader.Sync.PendingAboutLeftQuarantine(QuarantineDesk.DecisionType, 10));
        Assert.Equal(("d1", true), (left.Decision, left.Stored));
    }

    [Fact]
    public async Task A_sandbox_peer_whose_quarantine_share_is_full_waits_until_room_is_made_and_nothing_is_lost()
    {
        var (a, b, desk) = SandboxPair();
        var first = await a.PutAsync("first", ShareScope.Shareable);
        await b.PullAsync(a);
        Assert.Contains(QuarantineDesk.SubjectOf(first), b.QuarantinedIds());
        // Fill A's share to the brim with packets A never sent (any bytes: quarantine keeps what a check passed).
        await b.Store.Writer.WriteAsync(c =>
        {
            for (var i = 1; i < PacketIntake.MaxQuarantinedPerPeer; i++)
            {
                var id = new byte[32];
                BitConverter.TryWriteBytes(id, i);
                c.Sync.Quarantine(id, [1], a.Id, "filler");
            }

            return 0;
        }, Ct);

        var second = await a.PutAsync("second", ShareScope.Shareable);
        var full = await b.PullAsync(a);

        Assert.Equal(0, full.Received);
        Assert.DoesNotContain(QuarantineDesk.SubjectOf(second), b.QuarantinedIds());
        // A packet waiting there already is a duplicate, not "full": a round offering it again does not stall on it.
        byte[] waiting;
        using (var reader = b.Store.OpenReader())
        {
            waiting = reader.Sync.QuarantinedById(first)!.Envelope;
        }

        var again = await new PacketIntake(b.Store.Writer, b.Keys).AcceptBatchAsync([new OfferedPacket(waiting)], a.Id, PacketDestination.Quarantine, Ct);
        Assert.Equal(IntakeOutcome.Duplicate, Assert.Single(again).Outcome);
        Assert.Equal(VerdictOutcome.Done, (await desk.RejectAsync(first, "bob", "making room", Ct)).Outcome);
        var after = await b.PullAsync(a);
        Assert.Equal(1, after.Received);
        Assert.Contains(QuarantineDesk.SubjectOf(second), b.QuarantinedIds());
    }
}
