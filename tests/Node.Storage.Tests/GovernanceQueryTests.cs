using Node.Storage.Decisions;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

/// <summary>
/// What quarantine governance reads and writes: each packet's promotion decision found by its subject, a guardian
/// acting on the packet deciding that decision, and a sandbox peer's record with guardians.
/// </summary>
public sealed class GovernanceQueryTests : IAsyncDisposable
{
    private const string Promotion = "promotion";
    private readonly TempDirectory _directory = new();
    private readonly NodeStore _store;

    public GovernanceQueryTests() => _store = TestStore.Open(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    private Task<T> Write<T>(Func<Writing.WriteContext, T> work) => _store.Writer.WriteAsync(work, TestContext.Current.CancellationToken);

    private static byte[] Id(byte b) => Enumerable.Repeat(b, 32).ToArray();

    private static DecisionRecord Decision(string id, byte[] packet, string status, long at) =>
        new(id, Promotion, status, 0.5, at, status == DecisionStatuses.Pending ? null : at, status == DecisionStatuses.Pending ? null : "auto",
            null, "{}", Convert.ToHexStringLower(packet));

    [Fact]
    public async Task Quarantined_packets_are_undecided_until_a_promotion_decision_is_about_them_then_listed_once_decided()
    {
        foreach (var b in new byte[] { 1, 2, 3 })
        {
            await Write(c => c.Sync.Quarantine(Id(b), [b], "peer-a", "from a sandbox peer"));
        }

        await Write(c => { c.Decisions.Insert(Decision("d1", Id(1), DecisionStatuses.Pending, 10)); return 0; });
        await Write(c => { c.Decisions.Insert(Decision("d2", Id(2), DecisionStatuses.AutoApproved, 11)); return 0; });
        // Another type about the same subject is not a promotion decision.
        await Write(c => { c.Decisions.Insert(Decision("d3", Id(3), DecisionStatuses.Approved, 12) with { Type = "publish" }); return 0; });

        using (var reader = _store.OpenReader())
        {
            Assert.Equal([Id(3)], reader.Sync.QuarantinedUndecided(Promotion, 10).Select(q => q.Id));
            var decided = Assert.Single(reader.Sync.QuarantinedDecided(Promotion, 10));
            Assert.Equal(Id(2), decided.Packet.Id);
            Assert.Equal(("d2", DecisionStatuses.AutoApproved, "auto"), (decided.Decision, decided.Status, decided.DecidedBy));
            Assert.Equal("d1", reader.Decisions.About(Promotion, Convert.ToHexStringLower(Id(1)))!.Id);
            Assert.Equal(Convert.ToHexStringLower(Id(1)), reader.Decisions.Find("d1")!.Subject);
            Assert.Null(reader.Decisions.About(Promotion, Convert.ToHexStringLower(Id(3))));
        }

        // Carried out: the packet leaves quarantine, and the decision is no longer listed.
        await Write(c => c.Sync.TakeFromQuarantine(Id(2)));
        using var after = _store.OpenReader();
        Assert.Empty(after.Sync.QuarantinedDecided(Promotion, 10));
    }

    [Fact]
    public async Task A_guardian_acting_on_the_packet_decides_its_pending_decision_and_only_that()
    {
        await Write(c => { c.Decisions.Insert(Decision("d1", Id(1), DecisionStatuses.Pending, 10)); return 0; });
        await Write(c => { c.Decisions.Insert(Decision("d2", Id(2), DecisionStatuses.AutoApproved, 11)); return 0; });

        Assert.Equal("d1", await Write(c => c.Decisions.DecidePendingAbout(Promotion, Convert.ToHexStringLower(Id(1)), approve: true, "alice", "checked")));
        Assert.Null(await Write(c => c.Decisions.DecidePendingAbout(Promotion, Convert.ToHexStringLower(Id(1)), approve: false, "bob", "again")));
        Assert.Null(await Write(c => c.Decisions.DecidePendingAbout(Promotion, Convert.ToHexStringLower(Id(2)), approve: false, "bob", "not pending")));
        Assert.Null(await Write(c => c.Decisions.DecidePendingAbout(Promotion, Convert.ToHexStringLower(Id(9)), approve: true, "bob", "none")));

        using var reader = _store.OpenReader();
        Assert.Equal((DecisionStatuses.Approved, "alice", "checked"), (reader.Decisions.Find("d1")!.Status, reader.Decisions.Find("d1")!.DecidedBy, reader.Decisions.Find("d1")!.Reason));
        Assert.Equal(DecisionStatuses.AutoApproved, reader.Decisions.Find("d2")!.Status);
        Assert.Equal(["decision.decided"], reader.Events.Tail(1).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_peers_record_counts_guardians_promotions_and_rejections_not_governances()
    {
        for (byte b = 1; b <= 6; b++)
        {
            var id = Id(b);
            await Write(c => c.Sync.Quarantine(id, [b], b <= 5 ? "peer-a" : "peer-b", "from a sandbox peer"));
        }

        await Write(c => { c.Sync.TakeFromQuarantine(Id(1)); c.Sync.RecordPromotion(Id(1), "peer-a", "alice", null); return 0; });
        await Write(c => { c.Sync.TakeFromQuarantine(Id(2)); c.Sync.RecordPromotion(Id(2), "peer-a", "alice", "fine"); return 0; });
        await Write(c => { c.Sync.TakeFromQuarantine(Id(3)); c.Sync.RecordPromotion(Id(3), "peer-a", "governance", "decision d"); return 0; });
        await Write(c => c.Sync.Reject(Id(4), "bob", "wrong"));
        await Write(c => c.Sync.Reject(Id(6), "bob", "wrong"));

        using var reader = _store.OpenReader();
        Assert.Equal((2L, 1L), reader.Sync.VerdictsOn("peer-a", notBy: "governance"));
        Assert.Equal((3L, 1L), reader.Sync.VerdictsOn("peer-a", notBy: ""));
        Assert.Equal((0L, 1L), reader.Sync.VerdictsOn("peer-b", notBy: "governance"));
        Assert.Equal((0L, 0L), reader.Sync.VerdictsOn("peer-c", notBy: "governance"));
        Assert.Equal("packet.promoted", reader.Events.Tail(3)[0].Kind);
    }
}
