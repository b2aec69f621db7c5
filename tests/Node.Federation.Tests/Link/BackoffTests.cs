using CsCheck;
using Node.Federation.Link;
using Node.Federation.Link.Internal;

namespace Node.Federation.Tests.Link;

public sealed class BackoffTests
{
    private static readonly PeerLinkOptions Defaults = new();

    [Fact]
    public void Backoff_stays_within_jitter_and_cap()
    {
        var gen = Gen.Select(Gen.Int, Gen.Int[100, 60_000], Gen.Int[0, 3_600_000], Gen.Int[1, 60]);
        gen.Sample((seed, initialMs, extraMs, attempts) =>
        {
            var initial = TimeSpan.FromMilliseconds(initialMs);
            var max = TimeSpan.FromMilliseconds(Math.Min(initialMs + extraMs, 3_600_000));
            var backoff = new Backoff(new PeerLinkOptions { BackoffInitial = initial, BackoffMax = max }, new Random(seed));
            var expected = (double)initial.Ticks;
            for (var i = 0; i < attempts; i++)
            {
                var delay = backoff.Next().Ticks;
                // Within ±20 % of min(initial × 1.6^i, max); 1e-6 covers the rounding of ticks.
                if (delay < expected * 0.8 * (1 - 1e-6) || delay > expected * 1.2 * (1 + 1e-6) || delay > max.Ticks * 1.2 * (1 + 1e-6))
                {
                    return false;
                }

                expected = Math.Min(expected * 1.6, max.Ticks);
            }

            return true;
        }, iter: 2000);
    }

    [Fact]
    public void With_the_defaults_the_base_grows_1_6_fold_to_60s()
    {
        var backoff = new Backoff(Defaults, new Random(1));
        var bases = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            bases.Add(Math.Round(backoff.Base.TotalSeconds, 3));
            backoff.Next();
        }

        Assert.Equal([1, 1.6, 2.56, 4.096, 6.554, 10.486, 16.777, 26.844, 42.950, 60, 60, 60], bases);
    }

    [Fact]
    public void The_jitter_spreads_delays_over_the_whole_band_and_a_seed_repeats_them()
    {
        var firsts = Enumerable.Range(0, 2000).Select(seed => new Backoff(Defaults, new Random(seed)).Next().TotalSeconds).ToList();

        Assert.InRange(firsts.Min(), 0.8, 0.81);
        Assert.InRange(firsts.Max(), 1.19, 1.2);
        Assert.Equal(Delays(42, 20), Delays(42, 20));
        Assert.NotEqual(Delays(42, 20), Delays(43, 20));
    }

    [Fact]
    public void Reconnect_resets_after_a_stable_link()
    {
        var backoff = new Backoff(Defaults, new Random(3));
        for (var i = 0; i < 6; i++)
        {
            backoff.Next();
        }

        var grown = backoff.Base;
        Assert.True(grown > TimeSpan.FromSeconds(10), $"six failures grow the base ({grown})");

        backoff.LinkEnded(TimeSpan.FromSeconds(29));
        Assert.Equal(grown, backoff.Base);

        backoff.LinkEnded(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Base);
        Assert.InRange(backoff.Next(), TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
    }

    [Fact]
    public void A_refusal_waits_the_refused_retry_and_starts_the_back_off_again()
    {
        var backoff = new Backoff(Defaults, new Random(4));
        backoff.Next();
        backoff.Next();

        Assert.Equal(TimeSpan.FromMinutes(5), backoff.Refused());
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Base);

        backoff.Next();
        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Base);
    }

    private static List<TimeSpan> Delays(int seed, int count)
    {
        var backoff = new Backoff(Defaults, new Random(seed));
        return [.. Enumerable.Range(0, count).Select(_ => backoff.Next())];
    }
}
