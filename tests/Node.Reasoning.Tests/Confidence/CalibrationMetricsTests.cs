using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

public sealed class CalibrationMetricsTests
{
    [Fact]
    public void Brier_base_rate_skill_and_ECE_match_a_hand_computed_example()
    {
        var metrics = new CalibrationMetrics();
        metrics.Add(0.12, false);
        metrics.Add(0.18, true);
        metrics.Add(0.75, true);
        metrics.Add(0.95, true);

        // Brier: (0.0144 + 0.6724 + 0.0625 + 0.0025) / 4; base rate 3/4 gives 3/4 · 1/4.
        Assert.Equal(0.18795, metrics.BrierScore, 12);
        Assert.Equal(0.1875, metrics.BaseRateBrierScore, 12);
        Assert.Equal(1 - 0.18795 / 0.1875, metrics.BrierSkillScore, 12);
        // ECE: bin 1 holds 0.12 and 0.18 (mean 0.15 vs 0.5), bins 7 and 9 one each: (2·0.35 + 0.25 + 0.05) / 4.
        Assert.Equal(0.25, metrics.ExpectedCalibrationError, 12);
        Assert.Equal(2, metrics.BinSize(1));
        Assert.Equal(3, metrics.Positives);
        Assert.Equal(1, metrics.Negatives);
    }

    [Fact]
    public void Perfectly_calibrated_predictions_have_an_ECE_of_at_most_2_percent()
    {
        var random = new Random(42);
        var metrics = new CalibrationMetrics();
        for (var i = 0; i < 20_000; i++)
        {
            var p = random.NextDouble();
            metrics.Add(p, Synthetic.Bernoulli(random, p));
        }

        Assert.True(metrics.ExpectedCalibrationError <= 0.02, $"ECE {metrics.ExpectedCalibrationError}");
        Assert.True(metrics.BrierSkillScore > 0);
    }

    [Fact]
    public void Reads_NaN_before_any_pair_and_refuses_probabilities_outside_0_to_1()
    {
        var metrics = new CalibrationMetrics();

        Assert.True(double.IsNaN(metrics.BrierScore));
        Assert.True(double.IsNaN(metrics.ExpectedCalibrationError));
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.Add(1.5, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.Add(double.NaN, true));
        metrics.Add(1, true);
        Assert.Equal(1, metrics.BinSize(9));
    }
}
