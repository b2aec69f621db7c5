using Node.Federation.Packets;
using Node.Federation.Trust;
using Node.Protocol.Packets;

namespace Node.Federation.Tests.Sync;

/// <summary>Rounds between real stores over the in-memory network: views, catch-up, relaying, quarantine, retractions.</summary>
public sealed class SyncRoundTests : IAsyncDisposable
{
    private readonly SyncLab _lab = new();

    public ValueTask DisposeAsync() => _lab.DisposeAsync();

    private (LabNode A, LabNode B) CorePair()
    {
        var a = _lab.Add(1);
        var b = _lab.Add(2);
        a.TrustBothWays(b, TrustTier.Core);
        return (a, b);
    }

    [Fact]
    public async Task A_core_peer_gets_core_and_shareable_packets_and_never_a_local_one()
    {
        var (a, b) = CorePair();
        var core = await a.PutAsync("core", ShareScope.Core);
        var shared = await a.PutAsync("shared", ShareScope.Shareable);
        var local = await a.PutAsync("local", ShareScope.Local);

        var first = await b.PullAsync(a);

        Assert.Equal("reconciliation", first.Kind);
        Assert.True(b.Has(core));
        Assert.True(b.Has(shared));
        Assert.False(b.Has(local));
        Assert.Equal(2, first.Received);
    }

    [Fact]
    public async Task After_first_contact_a_round_is_a_catch_up_of_one_small_round_trip_that_brings_what_is_new()
    {
        var (a, b) = CorePair();
        await a.PutAsync("one", ShareScope.Core);
        await b.PullAsync(a);

        b.WireBytes = 0;
        var idle = await b.PullAsync(a);
        Assert.Equal("catch-up", idle.Kind);
        Assert.Equal(0, idle.Received);
        Assert.InRange(b.WireBytes, 1, 2 * 128);

        var two = await a.PutAsync("two", ShareScope.Core);
        var next = await b.PullAsync(a);
        Assert.Equal("catch-up", next.Kind);
        Assert.Equal(1, next.Received);
        Assert.True(b.Has(two));
    }

    [Fact]
    public async Task What_a_peer_hands_back_unchanged_is_taken_as_held_without_checking_or_writing_it_again()
    {
        var (a, b) = CorePair();
        await a.PullAsync(b);
        var ids = new[] { await a.PutAsync("one", ShareScope.Core), await a.PutAsync("two", ShareScope.Core) };
        await b.PullAsync(a);

        // A catches up from B, whose newest packets are A's own: the same bytes A stored.
        var writesBefore = a.Store.Writer.CommittedBatches;
        var back = await a.PullAsync(b);

        Assert.Equal(("catch-up", 2, 0), (back.Kind, back.Received, back.Refused));
        Assert.Equal(writesBefore + 1, a.Store.Writer.CommittedBatches); // the cursor only
        Assert.All(ids, id => Assert.True(a.Has(id)));
    }

    [Fact]
    public async Task Data_is_relayed_by_a_core_peer_but_trust_is_not_A_to_B_to_C()
    {
        var (a, b) = CorePair();
        var c = _lab.Add(3);
        b.TrustBothWays(c, TrustTier.Core);
        var packet = await a.PutAsync("relayed", ShareScope.Core);

        await b.PullAsync(a);
        await c.PullAsync(b);

        Assert.True(c.Has(packet));
        // C never met A: it verified A's signature with the key B relayed beside the packet.
        Assert.NotNull(c.Keys.KeyOf(a.Id));
        // C trusting A is not enough: A never made C a peer, and its server side refuses.
        c.Tiers[a.Id] = TrustTier.Core;
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => c.PullAsync(a));
        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task A_sandbox_peer_sees_only_shareable_packets_and_what_we_take_from_it_waits_in_quarantine()
    {
        var a = _lab.Add(1);
        var s = _lab.Add(4);
        a.TrustBothWays(s, TrustTier.Sandbox);
        var core = await a.PutAsync("core", ShareScope.Core);
        var shared = await a.PutAsync("shared", ShareScope.Shareable);
        var fromSandbox = await s.PutAsync("claim", ShareScope.Shareable);

        await s.PullAsync(a);
        await a.PullAsync(s);

        // Both hold the other as sandbox: each one's packets wait in the other's quarantine.
        Assert.Contains(Convert.ToHexStringLower(shared), s.QuarantinedIds());
        Assert.DoesNotContain(Convert.ToHexStringLower(core), s.QuarantinedIds());
        Assert.False(s.Has(core));
        Assert.False(a.Has(fromSandbox));
        Assert.Contains(Convert.ToHexStringLower(fromSandbox), a.QuarantinedIds());
        // Quarantined packets are in no view: a third node syncing with A never sees it.
        var c = _lab.Add(5);
        a.TrustBothWays(c, TrustTier.Core);
        await c.PullAsync(a);
        Assert.False(c.Has(fromSandbox));
        Assert.True(c.Has(core));
    }

    [Fact]
    public async Task A_retraction_removes_the_value_on_the_peer_and_a_stale_copy_cannot_bring_it_back()
    {
        var (a, b) = CorePair();
        var c = _lab.Add(3);
        b.TrustBothWays(c, TrustTier.Core);
        a.TrustBothWays(c, TrustTier.Core);
        var value = await a.PutAsync("k", ShareScope.Core);
        await b.PullAsync(a);
        await c.PullAsync(a);
        Assert.True(b.Has(value));

        // A retracts; B learns it; C was away and still holds the value.
        var retraction = await a.PutAsync("k", ShareScope.Core, "", PacketKind.Retraction, value);
        await b.PullAsync(a);
        Assert.False(b.Has(value));
        Assert.True(b.Has(retraction));

        // B reconciles with C, which still has the value: B refuses it (retracted), C takes the retraction.
        var fromC = await b.PullAsync(c, audit: true);
        Assert.False(b.Has(value));
        Assert.Equal(0, fromC.Received);
        await c.PullAsync(b, audit: true);
        Assert.False(c.Has(value));
    }

    [Fact]
    public async Task A_retraction_that_arrives_before_its_target_keeps_the_target_out()
    {
        var (a, b) = CorePair();
        var value = await a.PutAsync("k", ShareScope.Core);
        var target = await ExportAsync(a, value);
        await a.PutAsync("k", ShareScope.Core, "", PacketKind.Retraction, value);
        await b.PullAsync(a);

        var late = await new PacketIntake(b.Store.Writer, b.Keys).AcceptAsync(target, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.Retracted, late.Outcome);
        Assert.False(b.Has(value));
    }

    [Fact]
    public async Task An_authors_retraction_relayed_by_a_sandbox_peer_skips_quarantine_and_removes_the_value()
    {
        var (a, b) = CorePair();
        var s = _lab.Add(4);
        s.TrustBothWays(a, TrustTier.Core);
        s.TrustBothWays(b, TrustTier.Sandbox);
        var value = await a.PutAsync("k", ShareScope.Shareable);
        await b.PullAsync(a);
        await s.PullAsync(a);

        // A retracts; B hears of it only through S, which B holds as sandbox.
        var retraction = await a.PutAsync("k", ShareScope.Shareable, "", PacketKind.Retraction, value);
        await s.PullAsync(a);
        await b.PullAsync(s);

        Assert.False(b.Has(value));
        Assert.True(b.Has(retraction));
        Assert.DoesNotContain(Convert.ToHexStringLower(retraction), b.QuarantinedIds());
    }

    [Fact]
    public async Task Only_the_author_may_retract_a_packet()
    {
        var (a, b) = CorePair();
        var value = await a.PutAsync("k", ShareScope.Core);
        await b.PullAsync(a);

        // B authors a retraction of A's packet: it is stored (it is B's packet), and removes nothing, here or on A.
        await b.PutAsync("k", ShareScope.Core, "", PacketKind.Retraction, value);
        await a.PullAsync(b);

        Assert.True(b.Has(value));
        Assert.True(a.Has(value));
    }

    private static async Task<byte[]> ExportAsync(LabNode node, byte[] id)
    {
        await Task.Yield();
        using var reader = node.Store.OpenReader();
        return reader.Packets.ById(id)!.Packet.Envelope;
    }
}
