using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

public sealed class CalibratorTests
{
    [Fact]
    public void Is_the_identity_until_refitted_and_then_uses_Platt_below_the_isotonic_threshold()
    {
        var calibrator = new Calibrator(new LogOddsPool(3));
        Assert.Equal(CalibrationMethod.Identity, calibrator.Method);
        Assert.Equal(LogOddsPool.Sigmoid(0.4), calibrator.Calibrate(0.4));

        Assert.True(calibrator.Refit(Synthetic.Logistic(seed: 1, count: 999, [0.8, 0.4, 1.3], bias: -0.5)));

        Assert.Equal(CalibrationMethod.Platt, calibrator.Method);
        Assert.Equal(999, calibrator.SamplesUsed);
        Assert.Equal(calibrator.Platt.Calibrate(0.4), calibrator.Calibrate(0.4));
    }

    [Fact]
    public void Uses_isotonic_from_the_threshold_on_fitted_to_scores_of_the_refitted_weights()
    {
        var pool = new LogOddsPool(3);
        var calibrator = new Calibrator(pool);

        Assert.True(calibrator.Refit(Synthetic.Logistic(seed: 2, count: 1000, [0.8, 0.4, 1.3], bias: -0.5)));

        Assert.Equal(CalibrationMethod.Isotonic, calibrator.Method);
        Assert.InRange(pool.GetWeight(2), 1.0, 1.6);
        Assert.Equal(calibrator.Isotonic.Calibrate(pool.Pool([0.9, 0.2, 0.6])), calibrator.Calibrate([0.9, 0.2, 0.6]));
    }

    [Fact]
    public void Calibrated_confidences_on_fresh_outcomes_beat_the_base_rate()
    {
        double[] truth = [0.8, 0.4, 1.3];
        var calibrator = new Calibrator(new LogOddsPool(3));
        calibrator.Refit(Synthetic.Logistic(seed: 4, count: 4096, truth, bias: -0.5));
        var fresh = Synthetic.Logistic(seed: 5, count: 20_000, truth, bias: -0.5);
        var metrics = new CalibrationMetrics();

        for (var i = 0; i < fresh.Count; i++)
        {
            metrics.Add(calibrator.Calibrate(calibrator.Pool.PoolLogits(fresh.Logits(i))), fresh.Outcome(i));
        }

        Assert.True(metrics.BrierSkillScore > 0.3, $"skill {metrics.BrierSkillScore}");
        Assert.True(metrics.ExpectedCalibrationError < 0.03, $"ECE {metrics.ExpectedCalibrationError}");
    }

    [Fact]
    public void Changes_nothing_with_too_few_samples_or_one_kind_of_outcome()
    {
        var pool = new LogOddsPool(1);
        var calibrator = new Calibrator(pool);
        var samples = new OutcomeSamples(1);
        for (var i = 0; i < 40; i++)
        {
            samples.Add([i % 5], 0, outcome: i % 2 == 0);
        }

        Assert.False(calibrator.Refit(samples));
        samples.Clear();
        for (var i = 0; i < 100; i++)
        {
            samples.Add([i % 5], 0, outcome: true);
        }

        Assert.False(calibrator.Refit(samples));
        Assert.Equal(CalibrationMethod.Identity, calibrator.Method);
        Assert.Equal(1, pool.GetWeight(0));
    }

    [Fact]
    public void A_saved_state_restores_the_same_confidences()
    {
        var calibrator = new Calibrator(new LogOddsPool(3));
        calibrator.Refit(Synthetic.Logistic(seed: 6, count: 2000, [0.8, 0.4, 1.3], bias: -0.5));
        var restored = new Calibrator(new LogOddsPool(3));

        restored.Restore(calibrator.Save());

        Assert.Equal(calibrator.Method, restored.Method);
        foreach (double[] confidences in new[] { new[] { 0.9, 0.2, 0.6 }, [0.1, double.NaN, 0.5], [0.5, 0.5, 0.99] })
        {
            Assert.Equal(calibrator.Calibrate(confidences), restored.Calibrate(confidences));
        }
    }

    [Fact]
    public void Refits_over_a_full_ring_and_calibrates_without_allocating()
    {
        const int stages = 4;
        var random = new Random(9);
        var pool = new LogOddsPool(stages);
        var calibrator = new Calibrator(pool);
        var samples = Synthetic.Logistic(seed: 8, count: OutcomeSamples.DefaultCapacity, [0.8, 0.4, 1.3, 0.2], bias: -0.5);
        Assert.Equal(samples.Capacity, samples.Count);
        Span<double> confidences = stackalloc double[stages];
        calibrator.Refit(samples);
        calibrator.Calibrate(0.5);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0.0;
        for (var cycle = 0; cycle < 100_000; cycle++)
        {
            for (var k = 0; k < stages; k++)
            {
                confidences[k] = k == 3 && cycle % 7 == 0 ? double.NaN : random.NextDouble();
            }

            var z = pool.Pool(confidences);
            sum += calibrator.Calibrate(z);
            samples.AddConfidences(confidences, z, outcome: random.NextDouble() < 0.4, group: cycle % 5);
            if (cycle % 100 == 0)
            {
                Assert.True(calibrator.Refit(samples));
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
        Assert.Equal(CalibrationMethod.Isotonic, calibrator.Method);
    }
}
