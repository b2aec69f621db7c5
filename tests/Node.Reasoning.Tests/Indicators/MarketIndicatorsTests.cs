using Node.Reasoning.Indicators;
using Node.Reasoning.Observations;
using Node.Reasoning.Tests.Support;

namespace Node.Reasoning.Tests.Indicators;

public sealed class MarketIndicatorsTests
{
    private static readonly Lazy<MarketFeatures[]> Streamed = new(() => Stream(Sp500.Bars));

    private static Bar[] Bars => Sp500.Bars;

    [Fact]
    public void Copies_each_bar_and_counts_the_bars()
    {
        Assert.Equal(5_105, Bars.Length);
        AssertMatches(Bars.Select(b => b.Close).ToArray(), f => f.Close);
        AssertMatches(Bars.Select(b => b.High).ToArray(), f => f.High);
        AssertMatches(Bars.Select(b => b.Low).ToArray(), f => f.Low);
        AssertMatches(Bars.Select(b => b.Volume).ToArray(), f => f.Volume);
        AssertMatches(Enumerable.Range(1, Bars.Length).Select(n => (double)n).ToArray(), f => f.Bars);
    }

    [Fact]
    public void Every_value_is_NaN_before_the_first_bar()
    {
        var features = new MarketIndicators().Current;

        Assert.Equal(0, features.Bars);
        Assert.True(double.IsNaN(features.Close) && double.IsNaN(features.Atr14) && double.IsNaN(features.Obv)
            && double.IsNaN(features.BandwidthMin126) && double.IsNaN(features.VolumePercentile20));
    }

    [Fact]
    public void Log_return_and_true_range_equal_their_definitions_on_the_SP500_file()
    {
        AssertMatches(TaLibReference.LogReturn(Bars), f => f.LogReturn);
        AssertMatches(TaLibReference.TrueRange(Bars), f => f.TrueRange);
    }

    [Fact]
    public void Atr14_equals_TA_Lib_definition_on_the_SP500_file()
    {
        var atr = TaLibReference.Atr(Bars, 14);

        AssertMatches(atr, f => f.Atr14);
        AssertMatches(TaLibReference.Previous(atr), f => f.PrevAtr14);
        Assert.True(double.IsNaN(Streamed.Value[13].Atr14) && !double.IsNaN(Streamed.Value[14].Atr14));
    }

    [Fact]
    public void Bollinger_bands_equal_TA_Lib_BBANDS_with_population_deviation_on_the_SP500_file()
    {
        var (upper, middle, lower, bandwidth) = TaLibReference.Bollinger(Bars, 20, 2);

        AssertMatches(upper, f => f.BbUpper);
        AssertMatches(middle, f => f.BbMiddle);
        AssertMatches(lower, f => f.BbLower);
        AssertMatches(bandwidth, f => f.Bandwidth);
        Assert.True(double.IsNaN(Streamed.Value[18].BbMiddle) && !double.IsNaN(Streamed.Value[19].BbMiddle));
    }

    [Fact]
    public void Bollinger_deviation_equals_the_two_pass_deviation_to_1e_9_on_the_SP500_file()
    {
        var sigma = TaLibReference.PopulationStdDev(Bars, 20);

        AssertMatches(sigma, f => (f.BbUpper - f.BbMiddle) / 2);
    }

    [Fact]
    public void Obv_equals_TA_Lib_definition_on_the_SP500_file() =>
        AssertMatches(TaLibReference.Obv(Bars), f => f.Obv);

    [Fact]
    public void Mfi14_equals_TA_Lib_definition_on_the_SP500_file()
    {
        AssertMatches(TaLibReference.Mfi(Bars, 14), f => f.Mfi14);
        Assert.True(double.IsNaN(Streamed.Value[13].Mfi14) && !double.IsNaN(Streamed.Value[14].Mfi14));
    }

    [Fact]
    public void Rsi14_equals_TA_Lib_definition_on_the_SP500_file()
    {
        AssertMatches(TaLibReference.Rsi(Bars, 14), f => f.Rsi14);
        Assert.True(double.IsNaN(Streamed.Value[13].Rsi14) && !double.IsNaN(Streamed.Value[14].Rsi14));
    }

    [Fact]
    public void Donchian_channels_equal_TA_Lib_MAX_of_high_and_MIN_of_low_on_the_SP500_file()
    {
        var high20 = TaLibReference.MaxHigh(Bars, 20);
        var low20 = TaLibReference.MinLow(Bars, 20);
        var high55 = TaLibReference.MaxHigh(Bars, 55);
        var low55 = TaLibReference.MinLow(Bars, 55);

        AssertMatches(high20, f => f.Donchian20High);
        AssertMatches(low20, f => f.Donchian20Low);
        AssertMatches(TaLibReference.Previous(high20), f => f.PrevDonchian20High);
        AssertMatches(TaLibReference.Previous(low20), f => f.PrevDonchian20Low);
        AssertMatches(high55, f => f.Donchian55High);
        AssertMatches(low55, f => f.Donchian55Low);
        AssertMatches(TaLibReference.Previous(high55), f => f.PrevDonchian55High);
        AssertMatches(TaLibReference.Previous(low55), f => f.PrevDonchian55Low);
    }

    [Fact]
    public void Return_z60_is_the_z_score_against_the_60_returns_before_it_on_the_SP500_file()
    {
        AssertMatches(TaLibReference.ReturnZ(Bars, 60), f => f.ReturnZ60);
        Assert.True(double.IsNaN(Streamed.Value[60].ReturnZ60) && !double.IsNaN(Streamed.Value[61].ReturnZ60));
    }

    [Fact]
    public void Volume_percentile20_ranks_the_volume_among_the_20_bars_before_it_on_the_SP500_file()
    {
        AssertMatches(TaLibReference.VolumePercentile(Bars, 20), f => f.VolumePercentile20);
        Assert.True(double.IsNaN(Streamed.Value[19].VolumePercentile20) && !double.IsNaN(Streamed.Value[20].VolumePercentile20));
    }

    [Fact]
    public void Bandwidth_percentile126_and_minimum126_cover_the_last_126_bandwidths_on_the_SP500_file()
    {
        var bandwidth = TaLibReference.Bollinger(Bars, 20, 2).Bandwidth;

        AssertMatches(TaLibReference.PercentileAtOrBelow(bandwidth, 126), f => f.BandwidthPercentile126);
        AssertMatches(TaLibReference.Minimum(bandwidth, 126), f => f.BandwidthMin126);
        Assert.True(double.IsNaN(Streamed.Value[143].BandwidthMin126) && !double.IsNaN(Streamed.Value[144].BandwidthMin126));
    }

    [Fact]
    public void Obv_on_four_bars_adds_the_volume_of_a_higher_close_and_subtracts_that_of_a_lower_one()
    {
        var features = Stream([Daily(0, 10, 10, 10, 10, 100), Daily(1, 11, 11, 11, 11, 20), Daily(2, 9, 9, 9, 9, 5), Daily(3, 9, 9, 9, 9, 7)]);

        Assert.Equal([100.0, 120, 115, 115], features.Select(f => f.Obv));
    }

    [Fact]
    public void True_range_on_three_bars_reaches_back_to_the_previous_close()
    {
        // A gap up (range 2, but 5 above the previous close), then a gap down (range 1, low 6 below the close of 15).
        var features = Stream([Daily(0, 10, 11, 9, 10, 1), Daily(1, 14, 15, 13, 15, 1), Daily(2, 9, 10, 9, 9.5, 1)]);

        Assert.True(double.IsNaN(features[0].TrueRange));
        Assert.Equal(5.0, features[1].TrueRange);
        Assert.Equal(6.0, features[2].TrueRange);
    }

    [Fact]
    public void Rsi_and_mfi_of_a_series_that_only_rises_are_100_and_of_a_flat_one_0()
    {
        var rising = Stream([.. Enumerable.Range(0, 16).Select(i => Daily(i, 10 + i, 10 + i, 10 + i, 10 + i, 1000))]);
        var flat = Stream([.. Enumerable.Range(0, 16).Select(i => Daily(i, 10, 10, 10, 10, 1000))]);

        Assert.Equal(100.0, rising[15].Rsi14);
        Assert.Equal(100.0, rising[15].Mfi14);
        Assert.Equal(0.0, flat[15].Rsi14);
        Assert.Equal(0.0, flat[15].Mfi14);
        Assert.Equal(0.0, flat[15].Atr14);
    }

    [Fact]
    public void Streaming_gives_bit_for_bit_what_a_fresh_instance_fed_the_same_bars_gives()
    {
        var streamed = Streamed.Value;
        foreach (var end in new[] { 0, 1, 13, 14, 19, 20, 54, 61, 143, 144, 145, 1000, 2047, 4000, Bars.Length - 1 })
        {
            var fresh = new MarketIndicators();
            foreach (var bar in Bars.AsSpan(0, end + 1))
            {
                fresh.Update(bar);
            }

            Assert.Equal(streamed[end], fresh.Current);
        }
    }

    [Fact]
    public void Two_instances_fed_the_same_bars_agree_bit_for_bit_at_every_bar()
    {
        var first = new MarketIndicators();
        var second = new MarketIndicators();
        foreach (var bar in Bars)
        {
            first.Update(bar);
            second.Update(bar);
            Assert.Equal(first.Current, second.Current);
        }
    }

    [Fact]
    public void Update_allocates_nothing_after_warm_up()
    {
        var indicators = new MarketIndicators();
        var span = Bars[^1].Time - Bars[0].Time + 86_400;
        var update = 0;
        void Run(int count)
        {
            for (var i = 0; i < count; i++, update++)
            {
                var bar = Bars[update % Bars.Length];
                indicators.Update(bar with { Time = bar.Time + (update / Bars.Length * span) });
            }
        }

        Run(2 * Bars.Length);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(100_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static MarketFeatures[] Stream(Bar[] bars)
    {
        var indicators = new MarketIndicators();
        var features = new MarketFeatures[bars.Length];
        for (var i = 0; i < bars.Length; i++)
        {
            indicators.Update(bars[i]);
            features[i] = indicators.Current;
        }

        return features;
    }

    private static Bar Daily(int day, double open, double high, double low, double close, double volume) =>
        new(946_857_600 + (day * 86_400L), open, high, low, close, volume);

    /// <summary>NaN exactly where the reference has NaN; elsewhere within 1e-9 relative (1e-12 absolute near zero).</summary>
    private static void AssertMatches(double[] expected, Func<MarketFeatures, double> feature)
    {
        var streamed = Streamed.Value;
        Assert.Equal(expected.Length, streamed.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var actual = feature(streamed[i]);
            if (double.IsNaN(expected[i]) || double.IsNaN(actual))
            {
                Assert.True(double.IsNaN(expected[i]) && double.IsNaN(actual), $"Bar {i}: expected {expected[i]}, was {actual}.");
                continue;
            }

            var tolerance = Math.Max(1e-9 * Math.Abs(expected[i]), 1e-12);
            Assert.True(Math.Abs(actual - expected[i]) <= tolerance, $"Bar {i}: expected {expected[i]:R}, was {actual:R}.");
        }
    }
}
