using Node.Reasoning.Indicators;
using Node.Reasoning.Reasoners;
using Node.Reasoning.Tests.Support;

namespace Node.Reasoning.Tests.Reasoners;

public sealed class BaselineTests
{
    [Theory]
    [InlineData(Depth.Moderate)]
    [InlineData(Depth.Deep)]
    public void A_bar_far_outside_the_subjects_history_is_atypical_and_an_ordinary_one_is_not(Depth depth)
    {
        var series = new Series().Walk(400, 0.01, seed: 11);
        var (baseline, indicators) = Fed(series, depth);
        Assert.InRange(baseline.LastDistance, 0, 20);

        var last = series.Bars[^1];
        indicators.Update(last with { Time = last.Time + 86_400, Open = last.Close, Close = last.Close * 1.15, High = last.Close * 1.2, Low = last.Close * 0.99 });
        var typicality = baseline.Observe(indicators.Current, depth);
        Assert.True(typicality < 0.01, $"typicality {typicality}");
    }

    [Fact]
    public void It_abstains_until_it_has_seen_thirty_complete_bars()
    {
        var baseline = new Baseline();
        var indicators = new MarketIndicators();
        var results = new List<double>();
        foreach (var bar in new Series().Walk(60, 0.01, seed: 1).Bars)
        {
            indicators.Update(bar);
            results.Add(baseline.Observe(indicators.Current, Depth.Moderate));
        }

        // Features complete from bar 20 (volume percentile and bands); 30 of them before the first score.
        Assert.All(results.Take(50), r => Assert.True(double.IsNaN(r)));
        Assert.All(results.Skip(50), r => Assert.InRange(r, 0, 1));
    }

    [Fact]
    public void Typicality_is_the_chi_square_survival_with_four_degrees_of_freedom()
    {
        // P(χ²₄ ≥ d²) = e^(−d²/2)(1 + d²/2): at d² = 9.4877 (the 5% critical value) it is 0.05.
        var d2 = 9.487729036781154;
        Assert.Equal(0.05, Math.Exp(-d2 / 2) * (1 + (d2 / 2)), 9);
        var (baseline, _) = Fed(new Series().Walk(300, 0.01, seed: 4), Depth.Moderate);
        Assert.True(baseline.LastDistance >= 0);
    }

    private static (Baseline, MarketIndicators) Fed(Series series, Depth depth)
    {
        var baseline = new Baseline();
        var indicators = new MarketIndicators();
        foreach (var bar in series.Bars)
        {
            indicators.Update(bar);
            baseline.Observe(indicators.Current, depth);
        }

        return (baseline, indicators);
    }
}
