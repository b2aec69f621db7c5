using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

public sealed class LogOddsPoolTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(0.999)]
    public void Sigmoid_undoes_logit_inside_the_clamp(double p) =>
        Assert.Equal(p, LogOddsPool.Sigmoid(LogOddsPool.Logit(p)), 12);

    [Fact]
    public void Logit_clamps_certainty_to_a_finite_value_and_sigmoid_never_overflows()
    {
        Assert.Equal(LogOddsPool.MaxLogit, LogOddsPool.Logit(1), 12);
        Assert.Equal(-LogOddsPool.MaxLogit, LogOddsPool.Logit(0), 12);
        Assert.Equal(LogOddsPool.MaxLogit, LogOddsPool.Logit(7), 12);
        Assert.Equal(1e-4, LogOddsPool.Sigmoid(LogOddsPool.Logit(-3)), 12);
        Assert.Equal(1, LogOddsPool.Sigmoid(1000));
        Assert.Equal(0, LogOddsPool.Sigmoid(-1000));
        Assert.Equal(1, LogOddsPool.Sigmoid(double.PositiveInfinity));
        Assert.Equal(0, LogOddsPool.Sigmoid(double.NegativeInfinity));
        Assert.Equal(0.5, LogOddsPool.Sigmoid(0));
        Assert.True(double.IsNaN(LogOddsPool.Logit(double.NaN)));
    }

    [Fact]
    public void Pooling_leaves_out_stages_that_abstain()
    {
        var pool = new LogOddsPool(3);
        pool.SetWeight(1, 0.5);

        Assert.Equal(LogOddsPool.Logit(0.8), pool.Pool([0.8, double.NaN, double.NaN]), 12);
        Assert.Equal(LogOddsPool.Logit(0.8) + 0.5 * LogOddsPool.Logit(0.3), pool.Pool([0.8, 0.3, double.NaN]), 12);
        Assert.Equal(0, pool.Pool([double.NaN, double.NaN, double.NaN]));
        Assert.Equal(LogOddsPool.Logit(0.8), pool.Pool([0.8]), 12);
    }

    [Fact]
    public void Two_agreeing_stages_are_more_confident_than_either_not_less_as_a_product_would_be()
    {
        var pool = new LogOddsPool(2);

        var pooled = LogOddsPool.Sigmoid(pool.Pool([0.7, 0.7]));

        Assert.True(pooled > 0.7, $"pooled {pooled}");
        Assert.Equal(0.49 / (0.49 + 0.09), pooled, 12);
    }

    [Fact]
    public void Weights_and_bias_can_be_read_and_set_and_refuse_non_finite_values()
    {
        var pool = new LogOddsPool(2);
        Assert.Equal([1.0, 1.0], pool.Weights.ToArray());

        pool.SetWeights([0.6, 0.4], -0.2);

        Assert.Equal(0.6, pool.GetWeight(0));
        Assert.Equal(-0.2, pool.Bias);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.SetWeight(0, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.SetWeight(2, 1));
        Assert.Throws<ArgumentException>(() => pool.Pool([0.5, 0.5, 0.5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogOddsPool(9));
    }
}
