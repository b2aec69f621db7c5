using Node.Reasoning.Reasoners.Internal;

namespace Node.Reasoning.Tests.Reasoners;

public sealed class LinearTrendTests
{
    [Fact]
    public void Recovers_an_exact_slope_from_unix_times_long_after_the_window_first_slid()
    {
        const double t0 = 1_800_000_000;
        var trend = new LinearTrend(60);
        for (var i = 0; i < 100_000; i++)
        {
            trend.Add(t0 + (10.0 * i), 0.2 + (1e-7 * 10 * i));
        }

        Assert.True(trend.TryFit(out var slope, out var rSquared, out var fittedNow));
        Assert.Equal(1e-7, slope, 1e-15);
        Assert.Equal(1, rSquared, 1e-9);
        Assert.Equal(0.2 + (1e-6 * 99_999), fittedNow, 1e-9);
    }

    [Fact]
    public void Does_not_fit_a_flat_series_or_too_few_samples()
    {
        var trend = new LinearTrend(10);
        trend.Add(1, 0.5);
        trend.Add(2, 0.6);
        Assert.False(trend.TryFit(out _, out _, out _));

        var flat = new LinearTrend(10);
        for (var i = 0; i < 50; i++)
        {
            flat.Add(i, 0.3);
        }

        Assert.False(flat.TryFit(out _, out _, out _));
    }
}
