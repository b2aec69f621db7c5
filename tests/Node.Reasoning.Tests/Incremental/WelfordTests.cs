using CsCheck;
using Node.Reasoning.Incremental;

namespace Node.Reasoning.Tests.Incremental;

public sealed class WelfordTests
{
    private const double Offset = 1e8;

    [Fact]
    public void Matches_a_two_pass_variance_within_1e_10_on_values_offset_by_1e8()
    {
        Gen.Double[-1, 1].Array[2, 2000].Sample(noise =>
        {
            var values = noise.Select(x => Offset + x).ToArray();
            var welford = new Welford();
            foreach (var value in values)
            {
                welford.Add(value);
            }

            var (mean, variance) = TwoPass(values);
            Assert.Equal(values.Length, welford.Count);
            Assert.True(Math.Abs(welford.Mean - mean) <= 1e-14 * Offset, $"mean {welford.Mean:R} vs {mean:R}");
            Assert.True(Math.Abs(welford.PopulationVariance - variance) <= 1e-10 * variance, $"variance {welford.PopulationVariance:R} vs {variance:R}");
            Assert.True(Math.Abs(welford.SampleVariance - (variance * values.Length / (values.Length - 1))) <= 1e-10 * variance);
        });
    }

    [Fact]
    public void Save_and_restore_round_trip_the_state()
    {
        Gen.Select(Gen.Double[-1, 1].Array[1, 500], Gen.Double[-1, 1].Array[0, 500]).Sample((before, after) =>
        {
            var original = new Welford();
            foreach (var x in before)
            {
                original.Add(Offset + x);
            }

            var saved = original.Save();
            var restored = Welford.Restore(saved.Count, saved.Mean, saved.M2);
            Assert.Equal(saved, restored.Save());

            foreach (var x in after)
            {
                original.Add(Offset + x);
                restored.Add(Offset + x);
            }

            Assert.Equal(original.Count, restored.Count);
            Assert.True(Math.Abs(original.Mean - restored.Mean) <= 1e-14 * Offset);
            // The saved mean is a double: up to half an ulp of 1e8 (7.5e-9) is lost, which the values added later feel.
            Assert.True(Math.Abs(original.PopulationVariance - restored.PopulationVariance) <= 1e-8 * original.PopulationVariance,
                $"{original.PopulationVariance:R} vs {restored.PopulationVariance:R}");
        });
    }

    [Fact]
    public void Restoring_an_empty_state_gives_an_empty_accumulator()
    {
        var restored = Welford.Restore(0, 42, 7);

        Assert.Equal(0, restored.Count);
        Assert.Equal(0, restored.Mean);
        Assert.True(double.IsNaN(restored.PopulationVariance));
    }

    /// <summary>
    /// Mean and population variance, two-pass: the rounding of the mean only adds n·e² to the sum of squares
    /// (second order), so this is the exact variance to about 1e-15.
    /// </summary>
    private static (double Mean, double Variance) TwoPass(double[] values)
    {
        var mean = values.Sum() / values.Length;
        var squares = values.Sum(v => (v - mean) * (v - mean));
        return (mean, squares / values.Length);
    }
}
