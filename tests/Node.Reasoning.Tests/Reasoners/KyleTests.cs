using Node.Reasoning.Findings;
using Node.Reasoning.Indicators;
using Node.Reasoning.Reasoners;
using Node.Reasoning.Tests.Support;

namespace Node.Reasoning.Tests.Reasoners;

public sealed class KyleTests
{
    [Fact]
    public void Breakout_up_fires_when_the_close_clears_the_prior_channel_on_high_volume()
    {
        var series = new Series().Oscillate(40, 100, 0.5).Add(104, volume: 3000);
        var last = Analyze(series, Depth.Shallow);
        var breakout = Assert.Single(last, f => f.Kind == FindingKind.BreakoutUp);
        Assert.Equal(1, breakout.Direction);
        Assert.Equal(101, breakout.Level, 9); // the previous bar's 20-bar high: 100.5 + 0.5
        Assert.InRange(breakout.Confidence, 0.5, 0.95);
        Assert.Contains(last, f => f.Kind == FindingKind.AtrRisk);
    }

    [Fact]
    public void Breakout_does_not_fire_on_low_volume_or_inside_the_channel()
    {
        var lowVolume = Analyze(new Series().Oscillate(40, 100, 0.5).Add(104, volume: 200), Depth.Shallow);
        Assert.DoesNotContain(lowVolume, f => f.Kind is FindingKind.BreakoutUp or FindingKind.BreakoutDown);

        var inside = Analyze(new Series().Oscillate(40, 100, 0.5).Add(100.8, volume: 3000), Depth.Shallow);
        Assert.DoesNotContain(inside, f => f.Kind is FindingKind.BreakoutUp or FindingKind.BreakoutDown);
    }

    [Fact]
    public void Breakout_down_fires_below_the_prior_channel()
    {
        var last = Analyze(new Series().Oscillate(40, 100, 0.5).Add(95, volume: 3000), Depth.Shallow);
        var breakout = Assert.Single(last, f => f.Kind == FindingKind.BreakoutDown);
        Assert.Equal(-1, breakout.Direction);
        Assert.Equal(99, breakout.Level, 9);
    }

    [Fact]
    public void Extreme_move_fires_on_a_return_far_outside_the_recent_distribution()
    {
        var series = new Series().Walk(100, 0.002, seed: 7);
        series.Add(series.Bars[^1].Close * 1.05, volume: 1000, halfRange: 0.2);
        var move = Assert.Single(Analyze(series, Depth.Shallow), f => f.Kind == FindingKind.ExtremeMove);
        Assert.Equal(1, move.Direction);
        Assert.True(move.Evidence >= 3, $"extremity {move.Evidence}");
    }

    [Fact]
    public void Extreme_move_does_not_fire_on_an_ordinary_return()
    {
        var series = new Series().Walk(100, 0.002, seed: 7);
        series.Add(series.Bars[^1].Close * 1.001, volume: 1000, halfRange: 0.1);
        Assert.DoesNotContain(Analyze(series, Depth.Shallow), f => f.Kind == FindingKind.ExtremeMove);
    }

    [Fact]
    public void Consolidation_fires_when_the_bands_narrow_to_their_126_bar_low()
    {
        var series = new Series().Walk(150, 0.02, seed: 3).Oscillate(25, 100, 0.05, halfRange: 0.05);
        var consolidation = Assert.Single(Analyze(series, Depth.Moderate), f => f.Kind == FindingKind.Consolidation);
        Assert.Equal(0, consolidation.Direction);
        Assert.True(consolidation.Evidence <= 0.05);
    }

    [Fact]
    public void Consolidation_does_not_fire_while_volatility_is_steady()
    {
        var all = AnalyzeAll(new Series().Oscillate(200, 100, 2), Depth.Moderate);
        Assert.DoesNotContain(all, f => f.Kind == FindingKind.Consolidation);
    }

    [Fact]
    public void Bearish_reversal_fires_when_a_pivot_high_after_a_rise_is_confirmed_and_the_close_is_back_below_it()
    {
        var series = new Series().Oscillate(30, 100, 0.3).Ramp(9, 109).Add(110, halfRange: 1).Ramp(5, 104);
        var reversal = Assert.Single(Analyze(series, Depth.Moderate), f => f.Kind == FindingKind.ReversalBearish);
        Assert.Equal(-1, reversal.Direction);
        Assert.Equal(111, reversal.Level, 9); // the pivot bar's high
    }

    [Fact]
    public void No_reversal_fires_while_price_keeps_rising()
    {
        var all = AnalyzeAll(new Series().Oscillate(30, 100, 0.3).Ramp(30, 130), Depth.Moderate);
        Assert.DoesNotContain(all, f => f.Kind is FindingKind.ReversalBearish or FindingKind.ReversalBullish);
    }

    [Fact]
    public void Bullish_reversal_fires_at_a_confirmed_pivot_low_after_a_decline()
    {
        var series = new Series().Oscillate(30, 100, 0.3).Ramp(9, 91).Add(90, halfRange: 1).Ramp(5, 96);
        var reversal = Assert.Single(Analyze(series, Depth.Moderate), f => f.Kind == FindingKind.ReversalBullish);
        Assert.Equal(89, reversal.Level, 9);
    }

    [Fact]
    public void Bearish_divergence_fires_at_a_higher_pivot_high_with_lower_OBV()
    {
        // Up to 110 on light volume, down to 104 on heavy volume, up to 112 on light volume, then down.
        var series = new Series().Oscillate(30, 100, 0.3).Ramp(9, 109, volume: 500).Add(110, 500, halfRange: 1)
            .Ramp(6, 104, volume: 5000).Ramp(5, 111, volume: 500).Add(112, 500, halfRange: 1).Ramp(5, 108, volume: 500);
        var divergence = Assert.Single(Analyze(series, Depth.Moderate), f => f.Kind == FindingKind.DivergenceBearish);
        Assert.Equal(-1, divergence.Direction);
        Assert.True(divergence.Evidence < 0, "OBV fell between the pivots");
    }

    [Fact]
    public void No_divergence_when_OBV_confirms_the_higher_high()
    {
        var all = AnalyzeAll(new Series().Oscillate(30, 100, 0.3).Ramp(9, 109, volume: 5000).Add(110, 5000, halfRange: 1)
            .Ramp(6, 104, volume: 500).Ramp(5, 111, volume: 5000).Add(112, 5000, halfRange: 1).Ramp(5, 108, volume: 500), Depth.Moderate);
        Assert.DoesNotContain(all, f => f.Kind is FindingKind.DivergenceBearish or FindingKind.DivergenceBullish);
    }

    [Fact]
    public void Shallow_depth_runs_no_pivot_or_consolidation_rules()
    {
        var series = new Series().Walk(150, 0.02, seed: 3).Oscillate(25, 100, 0.05, halfRange: 0.05).Ramp(10, 110).Ramp(5, 104);
        Assert.DoesNotContain(AnalyzeAll(series, Depth.Shallow),
            f => f.Kind is FindingKind.Consolidation or FindingKind.ReversalBearish or FindingKind.ReversalBullish
                or FindingKind.DivergenceBearish or FindingKind.DivergenceBullish);
    }

    [Fact]
    public void Every_finding_on_the_SP500_file_has_a_confidence_between_one_half_and_0_95_or_a_risk_in_0_to_1()
    {
        var indicators = new MarketIndicators();
        var kyle = new Kyle();
        var findings = new FindingBuffer();
        var seen = new HashSet<FindingKind>();
        foreach (var bar in Sp500.Bars)
        {
            indicators.Update(bar);
            findings.Clear();
            kyle.Analyze(indicators.Current, Depth.Deep, findings);
            foreach (var finding in findings.Items)
            {
                seen.Add(finding.Kind);
                Assert.InRange(finding.Confidence, finding.Kind == FindingKind.AtrRisk ? 0 : 0.5, finding.Kind == FindingKind.AtrRisk ? 1 : 0.95);
            }
        }

        // Twenty years of real bars exercise every Kyle rule.
        Assert.Superset(new HashSet<FindingKind>
        {
            FindingKind.Trend, FindingKind.BreakoutUp, FindingKind.BreakoutDown, FindingKind.ExtremeMove, FindingKind.Consolidation,
            FindingKind.ReversalBearish, FindingKind.ReversalBullish, FindingKind.DivergenceBearish, FindingKind.DivergenceBullish,
            FindingKind.AtrRisk,
        }, seen);
    }

    private static Finding[] Analyze(Series series, Depth depth)
    {
        var indicators = new MarketIndicators();
        var kyle = new Kyle();
        var findings = new FindingBuffer();
        foreach (var bar in series.Bars)
        {
            indicators.Update(bar);
            findings.Clear();
            kyle.Analyze(indicators.Current, depth, findings);
        }

        return findings.Items.ToArray();
    }

    private static List<Finding> AnalyzeAll(Series series, Depth depth)
    {
        var indicators = new MarketIndicators();
        var kyle = new Kyle();
        var findings = new FindingBuffer();
        var all = new List<Finding>();
        foreach (var bar in series.Bars)
        {
            indicators.Update(bar);
            findings.Clear();
            kyle.Analyze(indicators.Current, depth, findings);
            all.AddRange(findings.Items);
        }

        return all;
    }
}
