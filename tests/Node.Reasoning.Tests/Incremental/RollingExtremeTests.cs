using CsCheck;
using Node.Reasoning.Incremental;

namespace Node.Reasoning.Tests.Incremental;

public sealed class RollingExtremeTests
{
    [Fact]
    public void Equals_the_maximum_and_minimum_of_the_window_recomputed_each_step()
    {
        Gen.Select(Gen.Int[1, 60], Gen.Double[-1e6, 1e6].Array[0, 400]).Sample((window, values) =>
        {
            var max = new RollingExtreme(window, maximum: true);
            var min = new RollingExtreme(window, maximum: false);
            for (var i = 0; i < values.Length; i++)
            {
                max.Add(values[i]);
                min.Add(values[i]);
                var span = values.AsSpan(Math.Max(0, i + 1 - window), Math.Min(window, i + 1));
                Assert.Equal(span.ToArray().Max(), max.Value);
                Assert.Equal(span.ToArray().Min(), min.Value);
                Assert.Equal(i + 1 >= window, max.IsReady);
            }
        });
    }

    [Fact]
    public void Reports_how_many_values_back_the_extreme_lies()
    {
        var max = new RollingExtreme(5, maximum: true);
        foreach (var value in new double[] { 1, 9, 3, 4 })
        {
            max.Add(value);
        }

        Assert.Equal(9, max.Value);
        Assert.Equal(2, max.AgeOfExtreme);
    }
}
