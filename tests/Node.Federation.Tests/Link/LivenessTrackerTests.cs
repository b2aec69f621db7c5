using Microsoft.Extensions.Time.Testing;
using Node.Federation.Link;
using Node.Federation.Link.Internal;

namespace Node.Federation.Tests.Link;

/// <summary>Missed-beat counting on a fake clock: the link's own timer ticks every interval, as the link's loop does.</summary>
public sealed class LivenessTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly PeerLinkOptions _options = new();
    private TimeSpan _sinceTick;

    // Runs the clock a second at a time, ticking the link's timer every interval, as a healthy node does.
    private void Run(LivenessTracker tracker, int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            _time.Advance(Second);
            _sinceTick += Second;
            if (_sinceTick >= _options.HeartbeatInterval)
            {
                Assert.False(tracker.Tick(), "an on-time tick is no stall");
                _sinceTick = TimeSpan.Zero;
            }
        }
    }

    [Fact]
    public void A_silent_peer_is_suspect_after_25s_and_down_after_60s_then_connected_on_the_next_beat()
    {
        var tracker = new LivenessTracker(_options, _time);
        tracker.Heard();
        Assert.Equal(LinkState.Connected, tracker.State);

        Run(tracker, 24);
        Assert.Equal(LinkState.Connected, tracker.State);
        Run(tracker, 1);
        Assert.Equal(LinkState.Suspect, tracker.State);
        Run(tracker, 34);
        Assert.Equal(LinkState.Suspect, tracker.State);
        Run(tracker, 1);
        Assert.Equal(LinkState.Down, tracker.State);
        Assert.Equal(TimeSpan.FromSeconds(60), tracker.Silence);

        Run(tracker, 600);
        Assert.Equal(LinkState.Down, tracker.State);
        tracker.Heard();
        Assert.Equal(LinkState.Connected, tracker.State);
        Assert.Equal(Start + TimeSpan.FromSeconds(660), tracker.LastHeardAt);
    }

    [Fact]
    public void Beats_every_interval_keep_the_peer_connected()
    {
        var tracker = new LivenessTracker(_options, _time);
        for (var beat = 0; beat < 100; beat++)
        {
            Run(tracker, 10);
            Assert.Equal(LinkState.Connected, tracker.State);
            tracker.Heard();
        }
    }

    [Fact]
    public void The_silence_counts_from_the_stream_opening_before_any_beat()
    {
        var tracker = new LivenessTracker(_options, _time);
        Assert.Null(tracker.LastHeardAt);

        Run(tracker, 25);

        Assert.Equal(LinkState.Suspect, tracker.State);
    }

    [Fact]
    public void A_lost_transport_is_suspect_at_once_down_after_the_silence_and_a_beat_clears_it()
    {
        var tracker = new LivenessTracker(_options, _time);
        tracker.Heard();
        Run(tracker, 3);

        tracker.TransportLost();
        Assert.Equal(LinkState.Suspect, tracker.State);
        Run(tracker, 56);
        Assert.Equal(LinkState.Suspect, tracker.State);
        Run(tracker, 1);
        Assert.Equal(LinkState.Down, tracker.State);

        tracker.Heard();
        Assert.Equal(LinkState.Connected, tracker.State);
    }

    [Fact]
    public void A_late_own_timer_does_not_mark_peers_down()
    {
        var tracker = new LivenessTracker(_options, _time);
        tracker.Heard();
        Run(tracker, 20);

        // The machine was suspended for five minutes: no tick, no beat processed.
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(tracker.Tick(), "a tick 290 s late is a stall of our own");
        _sinceTick = TimeSpan.Zero;
        Assert.Equal(LinkState.Connected, tracker.State);

        // The peer really is gone: it is judged on the silence since we woke.
        Run(tracker, 25);
        Assert.Equal(LinkState.Suspect, tracker.State);
        Run(tracker, 35);
        Assert.Equal(LinkState.Down, tracker.State);
        Assert.Equal(Start + TimeSpan.FromSeconds(0), tracker.LastHeardAt);
    }

    [Theory]
    [InlineData(29, false)] // 19 s late: not yet two intervals
    [InlineData(30, true)]  // 20 s late
    public void A_tick_two_intervals_late_is_a_stall(int gapSeconds, bool stalled)
    {
        var tracker = new LivenessTracker(_options, _time);
        Run(tracker, 20);
        _time.Advance(TimeSpan.FromSeconds(gapSeconds));

        Assert.Equal(stalled, tracker.Tick());
        Assert.Equal(stalled ? TimeSpan.Zero : TimeSpan.FromSeconds(gapSeconds + 20), tracker.Silence);
    }
}
