using CsCheck;
using Node.Reasoning.Incremental;

namespace Node.Reasoning.Tests.Incremental;

public sealed class RollingMomentsTests
{
    [Fact]
    public void Equals_the_two_pass_mean_and_variance_of_each_window()
    {
        Gen.Select(Gen.Int[2, 60], Gen.Double[1_000, 3_000].Array[0, 600]).Sample((window, values) =>
        {
            var moments = new RollingMoments(window);
            for (var i = 0; i < values.Length; i++)
            {
                moments.Add(values[i]);
                var span = values.AsSpan(Math.Max(0, i + 1 - window), Math.Min(window, i + 1)).ToArray();
                var mean = span.Sum() / span.Length;
                var variance = span.Sum(x => (x - mean) * (x - mean)) / span.Length;

                Assert.Equal(i + 1 >= window, moments.IsFull);
                Assert.True(Math.Abs(moments.Mean - mean) <= 1e-12 * mean);
                // Relative to the variance, with a floor at the rounding of values of this size.
                Assert.True(Math.Abs(moments.PopulationVariance - variance) <= (1e-9 * variance) + (1e-12 * mean * mean),
                    $"At {i}: {moments.PopulationVariance:R} vs {variance:R}.");
            }
        });
    }

    [Fact]
    public void Is_exact_after_each_full_window_of_values()
    {
        var values = Enumerable.Range(0, 100).Select(i => 1e8 + Math.Sin(i)).ToArray();
        var moments = new RollingMoments(10);
        for (var i = 0; i < values.Length; i++)
        {
            moments.Add(values[i]);
            if ((i + 1) % 10 == 0)
            {
                var window = values.AsSpan(i - 9, 10).ToArray();
                var mean = window.Sum() / 10;
                Assert.Equal(mean, moments.Mean);
                Assert.Equal(window.Sum(x => (x - mean) * (x - mean)) / 10, moments.PopulationVariance);
            }
        }
    }
}
