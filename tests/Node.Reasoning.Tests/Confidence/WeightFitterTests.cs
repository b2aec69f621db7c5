using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

public sealed class WeightFitterTests
{
    [Fact]
    public void Recovers_the_weights_and_bias_of_a_logistic_model()
    {
        double[] truth = [0.8, 0.4, 1.3];
        var samples = Synthetic.Logistic(seed: 7, count: 5000, truth, bias: -0.5);
        var pool = new LogOddsPool(3);
        var fitter = new WeightFitter(3);

        Assert.True(fitter.Fit(samples, pool));

        Assert.True(fitter.Converged);
        for (var k = 0; k < truth.Length; k++)
        {
            Assert.InRange(pool.GetWeight(k), truth[k] - 0.15, truth[k] + 0.15);
        }

        Assert.InRange(pool.Bias, -0.65, -0.35);
    }

    [Fact]
    public void Is_deterministic_and_independent_of_the_weights_it_starts_from()
    {
        var samples = Synthetic.Logistic(seed: 3, count: 2000, [1.0, 0.5], bias: 0.2);
        var first = new LogOddsPool(2);
        var second = new LogOddsPool(2);
        second.SetWeights([5, -3], 2);

        new WeightFitter(2).Fit(samples, first);
        new WeightFitter(2).Fit(samples, second);

        Assert.Equal(first.Weights.ToArray(), second.Weights.ToArray());
        Assert.Equal(first.Bias, second.Bias);
    }

    [Fact]
    public void Keeps_the_weight_of_a_stage_that_always_abstained()
    {
        var samples = Synthetic.Logistic(seed: 5, count: 1000, [1.0, 0.0], bias: 0);
        var abstaining = new OutcomeSamples(2, 1000);
        for (var i = 0; i < samples.Count; i++)
        {
            abstaining.Add([samples.Logits(i)[0], double.NaN], samples.Score(i), samples.Outcome(i));
        }

        var pool = new LogOddsPool(2);
        pool.SetWeight(1, 0.7);

        Assert.True(new WeightFitter(2).Fit(abstaining, pool));

        Assert.Equal(0.7, pool.GetWeight(1));
    }

    [Fact]
    public void Refuses_samples_with_one_kind_of_outcome_and_leaves_the_pool_alone()
    {
        var samples = new OutcomeSamples(1);
        for (var i = 0; i < 100; i++)
        {
            samples.Add([i / 10.0], 0, outcome: true);
        }

        var pool = new LogOddsPool(1);

        Assert.False(new WeightFitter(1).Fit(samples, pool));
        Assert.Equal(1, pool.GetWeight(0));
        Assert.Equal(0, pool.Bias);
    }
}
