using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

public sealed class PlattScalingTests
{
    private static (double[] Scores, bool[] Outcomes) Miscalibrated(int seed, int count)
    {
        var random = new Random(seed);
        var scores = new double[count];
        var outcomes = new bool[count];
        for (var i = 0; i < count; i++)
        {
            scores[i] = Synthetic.Normal(random, 1.5);
            outcomes[i] = Synthetic.Bernoulli(random, LogOddsPool.Sigmoid(2 * scores[i] - 1));
        }

        return (scores, outcomes);
    }

    [Fact]
    public void Is_the_identity_until_fitted()
    {
        var platt = new PlattScaling();

        Assert.False(platt.IsFitted);
        Assert.Equal(LogOddsPool.Sigmoid(0.7), platt.Calibrate(0.7));
    }

    [Fact]
    public void Recovers_the_slope_and_intercept_of_miscalibrated_scores()
    {
        var (scores, outcomes) = Miscalibrated(seed: 11, count: 5000);
        var platt = new PlattScaling();

        Assert.True(platt.Fit(scores, outcomes));

        Assert.InRange(platt.A, 1.85, 2.15);
        Assert.InRange(platt.B, -1.15, -0.85);
    }

    [Fact]
    public void Lowers_the_Brier_score_below_the_identity_on_fresh_data()
    {
        var (scores, outcomes) = Miscalibrated(seed: 12, count: 5000);
        var platt = new PlattScaling();
        platt.Fit(scores, outcomes);
        var (fresh, freshOutcomes) = Miscalibrated(seed: 13, count: 5000);
        var identity = new CalibrationMetrics();
        var calibrated = new CalibrationMetrics();

        for (var i = 0; i < fresh.Length; i++)
        {
            identity.Add(LogOddsPool.Sigmoid(fresh[i]), freshOutcomes[i]);
            calibrated.Add(platt.Calibrate(fresh[i]), freshOutcomes[i]);
        }

        Assert.True(calibrated.BrierScore < identity.BrierScore - 0.005, $"{calibrated.BrierScore} vs {identity.BrierScore}");
        Assert.True(calibrated.ExpectedCalibrationError < identity.ExpectedCalibrationError);
    }

    [Fact]
    public void Stays_finite_on_perfectly_separable_scores_thanks_to_target_smoothing()
    {
        double[] scores = [-3, -2, -1, 1, 2, 3];
        bool[] outcomes = [false, false, false, true, true, true];
        var platt = new PlattScaling();

        Assert.True(platt.Fit(scores, outcomes));

        Assert.True(double.IsFinite(platt.A) && double.IsFinite(platt.B));
        Assert.InRange(platt.Calibrate(3), 0.5, 1 - 1e-6);
    }

    [Fact]
    public void A_weighted_fit_equals_the_fit_on_the_expanded_pairs()
    {
        // Scores rounded to 40 distinct values, so they group into weighted points exactly.
        var (raw, outcomes) = Miscalibrated(seed: 13, count: 3000);
        var scores = Array.ConvertAll(raw, z => Math.Round(Math.Clamp(z, -5, 4.75) * 4) / 4);
        var (points, counts, positives) = (new double[40], new double[40], new double[40]);
        for (var i = 0; i < scores.Length; i++)
        {
            var b = (int)(scores[i] * 4) + 20;
            (points[b], counts[b], positives[b]) = (scores[i], counts[b] + 1, positives[b] + (outcomes[i] ? 1 : 0));
        }

        var pairs = new PlattScaling();
        var weighted = new PlattScaling();
        Assert.True(pairs.Fit(scores, outcomes));
        Assert.True(weighted.Fit(points, counts, positives));

        // Equal up to the stopping rules: the weighted fit stops at a gradient of 1e-5 per outcome, not 1e-5 in all.
        Assert.Equal(pairs.A, weighted.A, 3);
        Assert.Equal(pairs.B, weighted.B, 3);
        Assert.False(weighted.Fit([0.5], [1], [2]));  // more positives than outcomes
        Assert.False(weighted.Fit([0.5], [0], [0]));  // no weight
    }
}
