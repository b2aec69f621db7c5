using Microsoft.Extensions.Time.Testing;
using Node.Federation.Clock;

namespace Node.Federation.Tests.Clock;

public sealed class HybridClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long StartMs = Start.ToUnixTimeMilliseconds();

    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<long> _persisted = [];

    private HybridClock NewClock(long persistedCeiling = 0, TimeProvider? time = null) =>
        new(time ?? _time, persistedCeiling, _persisted.Add);

    private long Ceiling => _persisted.Count == 0 ? 0 : _persisted[^1];

    [Fact]
    public void The_defaults_are_a_5_minute_drift_bound_and_a_10_second_lease()
    {
        var clock = NewClock();

        Assert.Equal(TimeSpan.FromMinutes(5), clock.MaxDrift);
        Assert.Equal(TimeSpan.FromSeconds(10), clock.Lease);
    }

    [Fact]
    public void The_first_timestamp_is_the_wall_clock_with_counter_zero()
    {
        var now = NewClock().Now();

        Assert.Equal(StartMs, now.UnixMilliseconds);
        Assert.Equal(0, now.Counter);
    }

    [Fact]
    public void Within_one_millisecond_the_counter_increments_and_the_next_millisecond_resets_it()
    {
        var clock = NewClock();

        var within = Enumerable.Range(0, 5).Select(_ => clock.Now()).ToList();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var next = clock.Now();

        Assert.All(within, t => Assert.Equal(StartMs, t.UnixMilliseconds));
        Assert.Equal([0, 1, 2, 3, 4], within.Select(t => t.Counter));
        Assert.Equal(HybridTimestamp.From(StartMs + 1, 0), next);
    }

    [Fact]
    public void Timestamps_stay_monotonic_when_the_wall_clock_jumps_backwards()
    {
        var clock = NewClock();
        var issued = new List<HybridTimestamp> { clock.Now() };

        _time.AdjustTime(Start - TimeSpan.FromHours(1));
        issued.Add(clock.Now());
        issued.Add(clock.Now());
        _time.Advance(TimeSpan.FromMinutes(30));
        issued.Add(clock.Now());
        _time.AdjustTime(Start - TimeSpan.FromDays(365));
        issued.Add(clock.Now());

        AssertStrictlyIncreasing(issued);
        // While the wall clock is behind, time holds at the highest seen and the counter moves on.
        Assert.All(issued, t => Assert.Equal(StartMs, t.UnixMilliseconds));
        Assert.Equal([0, 1, 2, 3, 4], issued.Select(t => t.Counter));
    }

    [Fact]
    public void After_a_backward_jump_the_wall_clock_takes_over_once_it_passes_the_highest_seen()
    {
        var clock = NewClock();
        _ = clock.Now();
        _time.AdjustTime(Start - TimeSpan.FromSeconds(1));
        _ = clock.Now();

        _time.AdjustTime(Start + TimeSpan.FromMilliseconds(5));

        Assert.Equal(HybridTimestamp.From(StartMs + 5, 0), clock.Now());
    }

    [Fact]
    public void Over_65536_events_in_one_millisecond_borrow_the_next_millisecond_rather_than_wrap()
    {
        var clock = NewClock();
        var previous = clock.Now();

        for (var i = 0; i < HybridTimestamp.MaxCounter + 10; i++)
        {
            var next = clock.Now();
            if (next <= previous)
            {
                Assert.Fail($"{next} after {previous}");
            }

            previous = next;
        }

        Assert.Equal(StartMs + 1, previous.UnixMilliseconds);
    }

    [Fact]
    public void Merging_a_peer_timestamp_ahead_of_ours_moves_the_clock_past_it()
    {
        var clock = NewClock();
        var before = clock.Now();
        var remote = HybridTimestamp.From(StartMs + 60_000, 5);

        Assert.True(clock.TryObserve(remote, out var merged));

        Assert.Equal(HybridTimestamp.From(StartMs + 60_000, 6), merged);
        Assert.True(merged > before);
        var after = clock.Now(); // our wall clock is still a minute behind the peer's
        Assert.True(after > merged);
        Assert.Equal(StartMs + 60_000, after.UnixMilliseconds);
    }

    [Fact]
    public void Merging_a_peer_timestamp_in_our_millisecond_continues_from_the_larger_counter()
    {
        var clock = NewClock();
        _ = clock.Now(); // counter 0

        Assert.True(clock.TryObserve(HybridTimestamp.From(StartMs, 40), out var merged));

        Assert.Equal(HybridTimestamp.From(StartMs, 41), merged);
        Assert.Equal(HybridTimestamp.From(StartMs, 42), clock.Now());
    }

    [Fact]
    public void Merging_a_peer_timestamp_behind_ours_still_moves_forward()
    {
        var clock = NewClock();
        var before = clock.Now();

        Assert.True(clock.TryObserve(HybridTimestamp.From(StartMs - 60_000, 9), out var merged));

        Assert.Equal(HybridTimestamp.From(StartMs, 1), merged);
        Assert.True(merged > before);
    }

    [Fact]
    public void A_peer_timestamp_exactly_the_drift_bound_ahead_is_accepted()
    {
        var clock = NewClock();
        var remote = HybridTimestamp.From(StartMs + (long)clock.MaxDrift.TotalMilliseconds, 0);

        Assert.True(clock.TryObserve(remote, out var merged));
        Assert.True(merged > remote);
    }

    [Fact]
    public void A_peer_timestamp_beyond_the_drift_bound_is_refused_and_leaves_the_clock_unchanged()
    {
        var clock = NewClock();
        var twin = new HybridClock(_time, 0, _ => { });
        _ = clock.Now();
        _ = twin.Now();
        var persistedBefore = _persisted.ToList();
        var remote = HybridTimestamp.From(StartMs + (long)clock.MaxDrift.TotalMilliseconds + 1, 0);

        Assert.False(clock.TryObserve(remote, out var merged));

        Assert.Equal(default, merged);
        Assert.Equal(persistedBefore, _persisted);
        Assert.Equal(twin.Now(), clock.Now());
    }

    [Fact]
    public void The_drift_bound_is_measured_from_our_wall_clock_as_it_moves()
    {
        var clock = new HybridClock(_time, 0, _persisted.Add, maxDrift: TimeSpan.FromSeconds(1));
        var remote = HybridTimestamp.From(StartMs + 5_000, 0);

        Assert.False(clock.TryObserve(remote, out _));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.True(clock.TryObserve(remote, out _));
    }

    [Fact]
    public void No_timestamp_is_issued_at_or_past_the_persisted_ceiling()
    {
        var clock = NewClock();
        for (var step = 0; step < 5_000; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(step % 7));
            var now = step % 100 == 99 && clock.TryObserve(HybridTimestamp.From(_time.GetUtcNow().ToUnixTimeMilliseconds() + 90_000, 3), out var merged)
                ? merged
                : clock.Now();
            Assert.True(now.UnixMilliseconds < Ceiling, $"{now} issued with the ceiling at {Ceiling}");
        }
    }

    [Fact]
    public void After_a_restart_every_timestamp_is_greater_than_all_issued_before()
    {
        var first = NewClock();
        var issued = new List<HybridTimestamp>();
        for (var step = 0; step < 2_000; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(3));
            issued.Add(first.Now());
            if (step == 1_000)
            {
                Assert.True(first.TryObserve(HybridTimestamp.From(StartMs + 200_000, 7), out var merged));
                issued.Add(merged);
            }
        }

        var highest = issued.Max();
        // The restarted node's wall clock is behind: reset, or the peer's clock had run ahead.
        foreach (var wall in new[] { Start - TimeSpan.FromDays(1), Start, _time.GetUtcNow() })
        {
            var restarted = NewClock(persistedCeiling: Ceiling, time: new FakeTimeProvider(wall));
            var next = Enumerable.Range(0, 100).Select(_ => restarted.Now()).ToList();

            Assert.All(next, t => Assert.True(t > highest, $"{t} after a restart at {wall:O}, not past {highest}"));
            AssertStrictlyIncreasing(next);
        }
    }

    [Fact]
    public void A_restart_with_nothing_persisted_starts_from_the_wall_clock()
    {
        var clock = NewClock(persistedCeiling: 0);

        Assert.Equal(HybridTimestamp.From(StartMs, 0), clock.Now());
        Assert.Equal([StartMs + 10_000], _persisted);
    }

    [Fact]
    public void Under_steady_time_the_ceiling_is_persisted_about_once_per_lease()
    {
        var clock = NewClock();
        var span = TimeSpan.FromMinutes(2);
        var elapsed = TimeSpan.Zero;
        while (elapsed < span)
        {
            _ = clock.Now();
            _ = clock.Now();
            _time.Advance(TimeSpan.FromMilliseconds(7));
            elapsed += TimeSpan.FromMilliseconds(7);
        }

        var leases = span / clock.Lease; // 12
        Assert.InRange(_persisted.Count, leases, leases + 1);
        Assert.All(_persisted.Zip(_persisted.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 10_000, 10_007));
    }

    [Fact]
    public void Timestamps_from_many_threads_are_all_distinct()
    {
        var clock = NewClock();
        var all = new HybridTimestamp[8][];

        Parallel.For(0, all.Length, new ParallelOptions { CancellationToken = TestContext.Current.CancellationToken }, thread =>
        {
            var mine = new HybridTimestamp[5_000];
            for (var i = 0; i < mine.Length; i++)
            {
                mine[i] = clock.Now();
            }

            all[thread] = mine;
        });

        Assert.All(all, AssertStrictlyIncreasing);
        Assert.Equal(8 * 5_000, all.SelectMany(t => t).Distinct().Count());
    }

    [Fact]
    public void A_lease_that_is_not_positive_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridClock(_time, 0, _ => { }, lease: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridClock(_time, 0, _ => { }, lease: TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void A_timestamp_packs_milliseconds_above_the_counter_and_orders_by_both()
    {
        var t = HybridTimestamp.From(StartMs, 513);

        Assert.Equal(StartMs, t.UnixMilliseconds);
        Assert.Equal(513, t.Counter);
        Assert.Equal(((ulong)StartMs << 16) | 513, t.Value);
        Assert.True(HybridTimestamp.From(StartMs, HybridTimestamp.MaxCounter) < HybridTimestamp.From(StartMs + 1, 0));
        Assert.True(HybridTimestamp.From(StartMs, 2) > HybridTimestamp.From(StartMs, 1));
        Assert.Equal("2026-03-01T12:00:00.000Z+513", t.ToString());
    }

    [Theory]
    [InlineData(-1L, 0)]
    [InlineData(1L << 48, 0)]
    [InlineData(0L, -1)]
    [InlineData(0L, 65536)]
    public void A_timestamp_out_of_range_is_refused(long milliseconds, int counter) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HybridTimestamp.From(milliseconds, counter));

    private static void AssertStrictlyIncreasing(IReadOnlyList<HybridTimestamp> timestamps)
    {
        for (var i = 1; i < timestamps.Count; i++)
        {
            if (timestamps[i] <= timestamps[i - 1])
            {
                Assert.Fail($"{timestamps[i]} at {i} is not after {timestamps[i - 1]}");
            }
        }
    }
}
