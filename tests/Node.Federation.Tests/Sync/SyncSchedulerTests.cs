using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Node.Federation.Identity;
using Node.Federation.Sync;
using Node.Federation.Trust;
using Node.Protocol.Packets;

namespace Node.Federation.Tests.Sync;

/// <summary>When rounds run: on first sight, on the catch-up period, at once on a nudge, never for a peer below sandbox, and the longest-waiting peer first.</summary>
public sealed class SyncSchedulerTests : IAsyncDisposable
{
    private readonly SyncLab _lab = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddYears(56));

    public ValueTask DisposeAsync() => _lab.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (LabNode Receiver, List<LabNode> Peers, SyncScheduler Scheduler) Setup(int peers, SyncOptions? options = null)
    {
        var receiver = _lab.Add(1, _time);
        var others = Enumerable.Range(0, peers).Select(i => _lab.Add((byte)(i + 2), _time)).ToList();
        foreach (var peer in others)
        {
            receiver.TrustBothWays(peer, TrustTier.Core);
        }

        var scheduler = new SyncScheduler(receiver.Round, receiver.Book, new Channels(receiver, others),
            options ?? new SyncOptions { MaxConcurrentRounds = 1 }, _time, NullLogger.Instance);
        return (receiver, others, scheduler);
    }

    private static async Task TickAsync(SyncScheduler scheduler, IEnumerable<LabNode> linked)
    {
        foreach (var round in scheduler.Tick([.. linked.Select(p => (p.Identity.Id, TrustTier.Core))], Ct))
        {
            await round;
        }
    }

    [Fact]
    public async Task The_last_rounds_packets_and_rate_are_known_when_it_ends()
    {
        var (receiver, peers, scheduler) = Setup(1);
        foreach (var key in new[] { "a", "b", "c" })
        {
            await peers[0].PutAsync(key, ShareScope.Core);
        }

        await TickAsync(scheduler, peers);

        var snapshot = receiver.Book.Of(peers[0].Id).Snapshot();
        Assert.Equal((3, 1, "ok"), (snapshot.LastRoundReceived, snapshot.Rounds, snapshot.LastRoundResult));
        Assert.True(snapshot.LastRoundRate > 0);
    }

    [Fact]
    public async Task No_peer_starves_the_one_that_waited_longest_goes_first()
    {
        var (receiver, peers, scheduler) = Setup(4, new SyncOptions { MaxConcurrentRounds = 1, CatchUpInterval = TimeSpan.FromSeconds(1) });

        for (var tick = 0; tick < 8; tick++)
        {
            await TickAsync(scheduler, peers);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.All(peers, p => Assert.Equal(2, receiver.Book.Of(p.Id).Snapshot().Rounds));
    }

    [Fact]
    public async Task A_nudge_makes_a_round_due_at_once_unless_the_last_one_reached_that_position()
    {
        var (receiver, peers, scheduler) = Setup(1, new SyncOptions { MaxConcurrentRounds = 1, CatchUpInterval = TimeSpan.FromHours(1) });
        await TickAsync(scheduler, peers);
        var epoch = peers[0].Store.Epoch;
        var nudged = scheduler.Nudged;

        scheduler.Nudge(peers[0].Identity.Id, epoch, peers[0].Store.Writer.LastPacketSeq);
        Assert.False(nudged.IsCompleted);

        await peers[0].PutAsync("new", ShareScope.Core);
        scheduler.Nudge(peers[0].Identity.Id, epoch, peers[0].Store.Writer.LastPacketSeq);
        Assert.True(nudged.IsCompleted);
        await TickAsync(scheduler, peers);

        Assert.Equal((2, 1), (receiver.Book.Of(peers[0].Id).Snapshot().Rounds, receiver.Book.Of(peers[0].Id).Snapshot().LastRoundReceived));
    }

    [Fact]
    public async Task A_peer_below_sandbox_gets_no_round_and_a_round_asked_of_it_fails_naming_it()
    {
        var (_, peers, scheduler) = Setup(1);
        var asked = scheduler.RequestAsync(peers[0].Identity.Id);

        Assert.Empty(scheduler.Tick([(peers[0].Identity.Id, TrustTier.External)], Ct));

        var failed = await Assert.ThrowsAsync<SyncProtocolException>(() => asked);
        Assert.Contains(peers[0].Id, failed.Message, StringComparison.Ordinal);
    }

    private sealed class Channels(LabNode self, List<LabNode> peers) : ISyncChannels
    {
        public Task<(ISyncPeer Peer, IDisposable? Owned)> OpenAsync(NodeId peer, CancellationToken cancellationToken) =>
            Task.FromResult<(ISyncPeer, IDisposable?)>((self.Channel(peers.First(p => p.Identity.Id == peer)), null));
    }
}
