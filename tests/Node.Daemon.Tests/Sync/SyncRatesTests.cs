using Node.Daemon.Api;
using Node.Federation.Sync;

namespace Node.Daemon.Tests.Sync;

/// <summary>The receive rate the status shows: the last round's packets ÷ its time when that round's count is known, else 0 — never a guess.</summary>
public sealed class SyncRatesTests
{
    private const string Peer = "ABCDEFG-HIJKLMN-OPQRSTU-VWXYZ23";

    private static SyncSnapshot Idle(long rounds, long received, long startedAt, long endedAt) =>
        new(Peer, SyncPhase.Idle, startedAt, endedAt, "ok", "catch-up", received, 0, 0, 0, 0, null, null, "core", rounds);

    [Fact]
    public void A_round_seen_between_two_idle_readings_is_measured()
    {
        var rates = new SyncRates(new SyncBook(), TimeProvider.System);

        Assert.Equal(0, rates.Of(Idle(rounds: 3, received: 10, startedAt: 1_000, endedAt: 1_200)));
        Assert.Equal(10.0, rates.Of(Idle(rounds: 4, received: 30, startedAt: 5_000, endedAt: 7_000)));
        // Read again while nothing moved: the same round, the same rate.
        Assert.Equal(10.0, rates.Of(Idle(rounds: 4, received: 30, startedAt: 5_000, endedAt: 7_000)));
    }

    [Fact]
    public void Rounds_missed_between_readings_and_a_round_under_way_have_no_rate()
    {
        var rates = new SyncRates(new SyncBook(), TimeProvider.System);
        rates.Of(Idle(rounds: 3, received: 10, startedAt: 1_000, endedAt: 1_200));

        Assert.Equal(0, rates.Of(Idle(rounds: 5, received: 30, startedAt: 5_000, endedAt: 7_000)));
        Assert.Equal(0, rates.Of(Idle(rounds: 5, received: 30, startedAt: 8_000, endedAt: 7_000) with { Phase = SyncPhase.Fetching }));
        Assert.Equal(5.0, rates.Of(Idle(rounds: 6, received: 40, startedAt: 8_000, endedAt: 10_000)));
    }
}
