using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Node.Federation.Link.Internal;

namespace Node.Federation.Tests.Link;

/// <summary>Two ends of one heartbeat stream on one fake clock: beats carry numbers and echoes, never clock readings.</summary>
public sealed class RttEstimatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public void The_round_trip_leaves_out_the_time_the_peer_held_the_beat()
    {
        var (a, b) = (new RttEstimator(_time), new RttEstimator(_time));

        var first = a.Next();
        Assert.Equal(new BeatStamp(1, 0, 0), first);
        _time.Advance(2 * Ms);
        Assert.Null(b.Received(first.Seq, first.EchoSeq, first.EchoDelayUs));
        _time.Advance(5 * Ms);
        var reply = b.Next();
        Assert.Equal(new BeatStamp(1, 1, 5_000), reply);
        _time.Advance(2 * Ms);

        Assert.Equal(4 * Ms, a.Received(reply.Seq, reply.EchoSeq, reply.EchoDelayUs));
        Assert.Equal(4 * Ms, a.Latest);
        Assert.Equal(4 * Ms, a.Smoothed);
        Assert.Null(b.Latest);
    }

    [Fact]
    public void Each_side_measures_on_its_own_beats_and_the_smoothing_follows_rfc_6298()
    {
        var (a, b) = (new RttEstimator(_time), new RttEstimator(_time));
        TimeSpan? last = null;
        foreach (var oneWay in new[] { 1, 1, 9, 1 })
        {
            var beat = a.Next();
            _time.Advance(oneWay * Ms);
            b.Received(beat.Seq, beat.EchoSeq, beat.EchoDelayUs);
            _time.Advance(10 * Ms);
            var echo = b.Next();
            _time.Advance(oneWay * Ms);
            last = a.Received(echo.Seq, echo.EchoSeq, echo.EchoDelayUs);
            Assert.Equal(2 * oneWay * Ms, last);
        }

        // 2, 2, 18, 2 ms: 2 → 2 → (7·2 + 18)/8 = 4 → (7·4 + 2)/8 = 3.75
        Assert.Equal(TimeSpan.FromMilliseconds(3.75), a.Smoothed);
        Assert.Equal(2 * Ms, a.Latest);
    }

    [Fact]
    public void Echoes_of_unknown_old_or_already_measured_beats_are_ignored()
    {
        var a = new RttEstimator(_time);
        for (var i = 0; i < 10; i++)
        {
            a.Next();
            _time.Advance(Ms);
        }

        Assert.Null(a.Received(1, 11, 0));  // never sent
        Assert.Null(a.Received(2, 2, 0));   // sent, but 8 or more beats ago
        Assert.Null(a.Received(3, 0, 0));   // echoes nothing
        Assert.NotNull(a.Received(4, 5, 0));
        Assert.Null(a.Received(5, 5, 0));   // measured already
        Assert.Null(a.Received(6, 4, 0));   // older than one measured
        Assert.NotNull(a.Received(7, 10, 0));
    }

    [Fact]
    public void A_peer_claiming_to_have_held_a_beat_longer_than_the_round_trip_gives_zero_never_less()
    {
        var a = new RttEstimator(_time);
        var beat = a.Next();
        _time.Advance(3 * Ms);

        Assert.Equal(TimeSpan.Zero, a.Received(1, beat.Seq, uint.MaxValue));
    }

    [Fact]
    public void The_echo_names_the_newest_beat_received_and_how_long_it_was_held()
    {
        var b = new RttEstimator(_time);
        b.Received(5, 0, 0);
        _time.Advance(3 * Ms);
        b.Received(4, 0, 0); // older: not the one to echo
        _time.Advance(4 * Ms);

        Assert.Equal(new BeatStamp(1, 5, 7_000), b.Next());
        _time.Advance(TimeSpan.FromHours(2)); // more µs than a uint holds: the delay saturates
        Assert.Equal(new BeatStamp(2, 5, uint.MaxValue), b.Next());
    }

    [Fact]
    public void Samples_are_never_negative_and_nothing_throws_whatever_the_peer_sends() =>
        Gen.Select(Gen.ULong[0, 40], Gen.ULong[0, 40], Gen.UInt, Gen.Int[0, 50_000]).Array[1, 60].Sample(beats =>
        {
            var rtt = new RttEstimator(_time);
            foreach (var (seq, echo, delay, waitUs) in beats)
            {
                rtt.Next();
                _time.Advance(TimeSpan.FromMicroseconds(waitUs));
                if (rtt.Received(seq, echo, delay) is { } sample && sample < TimeSpan.Zero)
                {
                    return false;
                }
            }

            return rtt.Smoothed is not { } smoothed || smoothed >= TimeSpan.Zero;
        }, iter: 500);
}
