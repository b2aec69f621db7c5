using CsCheck;
using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

public sealed class IsotonicCalibrationTests
{
    [Fact]
    public void Pool_adjacent_violators_gives_the_textbook_blocks()
    {
        // y = 0 1 0 1 1 0 over z = 1..6 pools into {0}, {1, 0} and {1, 1, 0}.
        var isotonic = new IsotonicCalibration();

        Assert.True(isotonic.Fit([4, 1, 6, 2, 5, 3], [true, false, false, true, true, false]));

        Assert.Equal(3, isotonic.RawBlockCount);
        Assert.Equal([1, 2, 3], [isotonic.RawBlockSize(0), isotonic.RawBlockSize(1), isotonic.RawBlockSize(2)]);
        Assert.Equal(0, isotonic.RawBlockRate(0));
        Assert.Equal(0.5, isotonic.RawBlockRate(1));
        Assert.Equal(2.0 / 3, isotonic.RawBlockRate(2), 12);
    }

    [Fact]
    public void Predicts_Laplace_smoothed_rates_at_block_centres_linear_between_and_flat_beyond()
    {
        var isotonic = new IsotonicCalibration();
        isotonic.Fit([1, 2, 3, 4, 5, 6], [false, true, false, true, true, false]);

        Assert.Equal([1, 2.5, 5], isotonic.BreakpointScores.ToArray());
        Assert.Equal(1.0 / 3, isotonic.Calibrate(1), 12);
        Assert.Equal(0.5, isotonic.Calibrate(2.5), 12);
        Assert.Equal(0.6, isotonic.Calibrate(5), 12);
        Assert.Equal(0.55, isotonic.Calibrate(3.75), 12);
        Assert.Equal(1.0 / 3, isotonic.Calibrate(-100), 12);
        Assert.Equal(0.6, isotonic.Calibrate(100), 12);
    }

    [Fact]
    public void Is_the_identity_until_fitted() =>
        Assert.Equal(LogOddsPool.Sigmoid(1.5), new IsotonicCalibration().Calibrate(1.5));

    [Fact]
    public void Output_is_monotone_and_never_exactly_0_or_1()
    {
        Gen.Select(Gen.Double[-5, 5].Array[1, 400], Gen.Int).Sample((scores, seed) =>
        {
            var random = new Random(seed);
            var outcomes = scores.Select(z => Synthetic.Bernoulli(random, LogOddsPool.Sigmoid(z))).ToArray();
            var isotonic = new IsotonicCalibration(capacity: 400, maxBreakpoints: 16);

            Assert.True(isotonic.Fit(scores, outcomes));

            Assert.InRange(isotonic.BreakpointCount, 1, 16);
            var previous = 0.0;
            for (var z = -6.0; z <= 6; z += 0.01)
            {
                var p = isotonic.Calibrate(z);
                Assert.True(p >= previous, $"p({z}) = {p} below {previous}");
                Assert.True(p > 0 && p < 1);
                previous = p;
            }
        }, iter: 200);
    }

    [Fact]
    public void Equal_scores_are_one_point_whatever_order_they_come_in()
    {
        var forward = new IsotonicCalibration();
        var backward = new IsotonicCalibration();

        forward.Fit([0, 1, 1, 1, 2], [false, true, false, false, true]);
        backward.Fit([2, 1, 1, 1, 0], [true, false, false, true, false]);

        Assert.Equal(forward.BreakpointProbabilities.ToArray(), backward.BreakpointProbabilities.ToArray());
    }
}
