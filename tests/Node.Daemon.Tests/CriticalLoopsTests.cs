using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Health;

namespace Node.Daemon.Tests;

public sealed class CriticalLoopsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_loop_that_beats_within_its_bound_is_not_stalled()
    {
        var time = new FakeTimeProvider();
        var loops = new CriticalLoops(time);
        using var loop = loops.Register("sync");

        time.Advance(Bound);
        loop.Beat();
        time.Advance(Bound);

        Assert.Empty(loops.FindStalled(Bound));
    }

    [Fact]
    public void A_silent_loop_is_stalled_once_its_bound_has_passed()
    {
        var time = new FakeTimeProvider();
        var loops = new CriticalLoops(time);
        using var quiet = loops.Register("quiet");
        using var busy = loops.Register("busy");

        time.Advance(Bound + TimeSpan.FromSeconds(1));
        busy.Beat();

        var stalled = Assert.Single(loops.FindStalled(Bound));
        Assert.Equal(new StalledLoop("quiet", Bound + TimeSpan.FromSeconds(1), Bound), stalled);
    }

    [Fact]
    public void A_loop_may_set_its_own_bound()
    {
        var time = new FakeTimeProvider();
        var loops = new CriticalLoops(time);
        using var slow = loops.Register("hourly", maxSilence: TimeSpan.FromHours(2));
        using var fast = loops.Register("fast", maxSilence: TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(["fast"], loops.FindStalled(Bound).Select(s => s.Name));
    }

    [Fact]
    public void A_disposed_loop_no_longer_holds_the_watchdog_back()
    {
        var time = new FakeTimeProvider();
        var loops = new CriticalLoops(time);
        var loop = loops.Register("ended");
        time.Advance(Bound * 2);

        loop.Dispose();

        Assert.Empty(loops.FindStalled(Bound));
        Assert.Empty(loops.Registered);
    }

    [Fact]
    public void Stalled_loops_come_longest_silence_first()
    {
        var time = new FakeTimeProvider();
        var loops = new CriticalLoops(time);
        using var first = loops.Register("first");
        time.Advance(TimeSpan.FromSeconds(5));
        using var second = loops.Register("second");
        time.Advance(Bound * 2);

        Assert.Equal(["first", "second"], loops.FindStalled(Bound).Select(s => s.Name));
    }
}
