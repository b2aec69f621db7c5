using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

/// <summary>Seeded synthetic data for the calibration tests.</summary>
internal static class Synthetic
{
    public static double Normal(Random random, double sd = 1)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static bool Bernoulli(Random random, double p) => random.NextDouble() < p;

    /// <summary>Samples from y ~ Bernoulli(σ(b + Σ w_k x_k)), x_k ~ N(0, 1.5²), stage k abstaining with <paramref name="abstainRate"/>.</summary>
    public static OutcomeSamples Logistic(int seed, int count, double[] weights, double bias, double abstainRate = 0.1, int? capacity = null)
    {
        var random = new Random(seed);
        var samples = new OutcomeSamples(weights.Length, capacity ?? count);
        Span<double> x = stackalloc double[weights.Length];
        for (var i = 0; i < count; i++)
        {
            var z = bias;
            for (var k = 0; k < weights.Length; k++)
            {
                x[k] = random.NextDouble() < abstainRate ? double.NaN : Math.Clamp(Normal(random, 1.5), -9, 9);
                z += double.IsNaN(x[k]) ? 0 : weights[k] * x[k];
            }

            samples.Add(x, z, Bernoulli(random, LogOddsPool.Sigmoid(z)), group: i % 3);
        }

        return samples;
    }
}
