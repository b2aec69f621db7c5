using System.Buffers;
using CsCheck;
using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

public sealed class OnlineCalibratorTests
{
    private static readonly double[] Truth = [0.8, 0.4, 1.3];
    private const double TruthBias = -0.5;

    [Fact]
    public void Learns_weights_close_to_those_of_a_known_logistic_model()
    {
        var pool = new LogOddsPool(3);
        var calibrator = new OnlineCalibrator(pool);

        LearnLogistic(calibrator, Synthetic.Logistic(seed: 11, count: 20_000, Truth, TruthBias), refitEvery: 100);

        Log($"learnt w = [{pool.GetWeight(0):F3}, {pool.GetWeight(1):F3}, {pool.GetWeight(2):F3}], b = {pool.Bias:F3}; truth [0.8, 0.4, 1.3], -0.5");
        for (var k = 0; k < 3; k++)
        {
            Assert.InRange(pool.GetWeight(k), Truth[k] - 0.3, Truth[k] + 0.3);
        }

        Assert.InRange(pool.Bias, TruthBias - 0.3, TruthBias + 0.3);
    }

    [Fact]
    public void Is_the_identity_until_the_first_refit()
    {
        var pool = new LogOddsPool(1);
        var calibrator = new OnlineCalibrator(pool);
        var random = new Random(3);
        for (var i = 0; i < 500; i++)
        {
            var x = Synthetic.Normal(random, 1.5);
            calibrator.Learn([LogOddsPool.Sigmoid(x)], x, Synthetic.Bernoulli(random, LogOddsPool.Sigmoid(2 * x - 1)));
        }

        Assert.Equal(CalibrationMethod.Identity, calibrator.Method);
        Assert.Equal(LogOddsPool.Sigmoid(0.4), calibrator.Calibrate(0.4));
        Assert.Equal(1.0, pool.GetWeight(0));

        Assert.True(calibrator.Refit());

        Assert.Equal(CalibrationMethod.Platt, calibrator.Method);
        Assert.Equal(500, calibrator.Learned);
        Assert.NotEqual(1.0, pool.GetWeight(0));
        Assert.Equal(calibrator.LearnerWeight(0), pool.GetWeight(0));
    }

    [Fact]
    public void Refit_changes_nothing_with_too_few_or_one_kind_of_outcome()
    {
        var pool = new LogOddsPool(1);
        var few = new OnlineCalibrator(pool);
        for (var i = 0; i < 49; i++)
        {
            few.Learn([0.6], 0.4, outcome: i % 2 == 0);
        }

        var oneKind = new OnlineCalibrator(new LogOddsPool(1));
        for (var i = 0; i < 500; i++)
        {
            oneKind.Learn([0.6], 0.4, outcome: true);
        }

        Assert.False(few.Refit());
        Assert.False(oneKind.Refit());
        Assert.Equal(CalibrationMethod.Identity, few.Method);
        Assert.Equal(CalibrationMethod.Identity, oneKind.Method);
        Assert.Equal(1.0, pool.GetWeight(0));
        Assert.InRange(few.Outcomes, 48, 49);
    }

    [Theory]
    [InlineData(800, CalibrationMethod.Platt)]
    [InlineData(20_000, CalibrationMethod.Isotonic)]
    public void Calibrates_miscalibrated_scores_on_fresh_data(int outcomes, CalibrationMethod expected)
    {
        // The stage reports σ(x) but the truth is σ(2x − 1): overconfident near 0, underconfident in the tails.
        var pool = new LogOddsPool(1);
        var calibrator = new OnlineCalibrator(pool);
        var random = new Random(21);
        for (var i = 1; i <= outcomes; i++)
        {
            var x = Synthetic.Normal(random, 1.5);
            ReadOnlySpan<double> confidence = [LogOddsPool.Sigmoid(x)];
            calibrator.Learn(confidence, pool.Pool(confidence), Synthetic.Bernoulli(random, LogOddsPool.Sigmoid(2 * x - 1)));
            if (i % 100 == 0)
            {
                calibrator.Refit();
            }
        }

        var calibrated = new CalibrationMetrics();
        var identity = new CalibrationMetrics();
        var fresh = new Random(22);
        for (var i = 0; i < 50_000; i++)
        {
            var x = Synthetic.Normal(fresh, 1.5);
            var y = Synthetic.Bernoulli(fresh, LogOddsPool.Sigmoid(2 * x - 1));
            calibrated.Add(calibrator.Calibrate(pool.Pool([LogOddsPool.Sigmoid(x)])), y);
            identity.Add(LogOddsPool.Sigmoid(x), y);
        }

        Log($"{outcomes} outcomes, {calibrator.Method}: w = {pool.GetWeight(0):F3}, b = {pool.Bias:F3}; ECE {calibrated.ExpectedCalibrationError:F4} " +
            $"(identity {identity.ExpectedCalibrationError:F4}), Brier {calibrated.BrierScore:F4} (identity {identity.BrierScore:F4})");
        Assert.Equal(expected, calibrator.Method);
        Assert.True(calibrated.ExpectedCalibrationError <= 0.03, $"ECE {calibrated.ExpectedCalibrationError}");
        Assert.True(calibrated.BrierScore < identity.BrierScore, $"Brier {calibrated.BrierScore} vs identity {identity.BrierScore}");
    }

    [Fact]
    public void Follows_a_change_of_regime_through_decay()
    {
        var pool = new LogOddsPool(1);
        var calibrator = new OnlineCalibrator(pool);
        var random = new Random(31);
        for (var i = 1; i <= 20_000; i++)
        {
            ReadOnlySpan<double> confidence = [LogOddsPool.Sigmoid(Synthetic.Normal(random))];  // uninformative
            calibrator.Learn(confidence, pool.Pool(confidence), Synthetic.Bernoulli(random, i <= 10_000 ? 0.3 : 0.7));
            if (i % 100 == 0)
            {
                calibrator.Refit();
            }

            if (i == 10_000)
            {
                Assert.InRange(MeanCalibrated(calibrator, new Random(32)), 0.25, 0.35);
            }
        }

        var mean = MeanCalibrated(calibrator, new Random(33));
        Log($"calibrated mean after the change: {mean:F4}");
        Assert.InRange(mean, 0.65, 0.75);
    }

    [Fact]
    public void Learns_calibrates_and_refits_without_allocating()
    {
        var pool = new LogOddsPool(3);
        var calibrator = new OnlineCalibrator(pool);
        var random = new Random(41);
        var confidences = new double[3 * 1024];
        var outcomes = new bool[1024];
        for (var i = 0; i < outcomes.Length; i++)
        {
            for (var k = 0; k < 3; k++)
            {
                confidences[3 * i + k] = random.NextDouble() < 0.1 ? double.NaN : random.NextDouble();
            }

            outcomes[i] = random.NextDouble() < 0.5;
        }

        Run(20_000); // warm up: JIT tiers and the first fits
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = Run(1_000_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(double.IsFinite(sum));
        Assert.Equal(0, allocated);

        double Run(int count)
        {
            var total = 0.0;
            for (var i = 0; i < count; i++)
            {
                var c = confidences.AsSpan(3 * (i & 1023), 3);
                var z = pool.Pool(c);
                total += calibrator.Calibrate(z);
                calibrator.Learn(c, z, outcomes[i & 1023]);
                if (i % 100 == 99)
                {
                    calibrator.Refit();
                }
            }

            return total;
        }
    }

    [Theory]
    [InlineData(800)]
    [InlineData(5_000)]
    public void A_restored_state_calibrates_identically(int outcomes)
    {
        var calibrator = Trained(outcomes);
        var bytes = Bytes(calibrator.Save());

        Assert.True(OnlineCalibrationState.TryRead(bytes, out var state, out var error), error);
        var pool = new LogOddsPool(3);
        var restored = new OnlineCalibrator(pool);
        restored.Restore(state);

        Assert.Equal(calibrator.Method, restored.Method);
        Assert.Equal(calibrator.Learned, restored.Learned);
        Assert.Equal(calibrator.Outcomes, restored.Outcomes, 9);
        Assert.Equal(calibrator.Pool.Weights.ToArray(), pool.Weights.ToArray());
        Assert.Equal(calibrator.Pool.Bias, pool.Bias);
        for (var z = -8.0; z <= 8.0; z += 0.05)
        {
            Assert.Equal(calibrator.Calibrate(z), restored.Calibrate(z));
        }

        Assert.Equal(bytes, Bytes(restored.Save()));
    }

    [Fact]
    public void Restore_refuses_a_state_of_another_shape()
    {
        var state = Trained(500).Save();

        Assert.Throws<ArgumentException>(() => new OnlineCalibrator(new LogOddsPool(2)).Restore(state));
        Assert.Throws<ArgumentException>(() => new OnlineCalibrator(new LogOddsPool(3), new OnlineCalibratorOptions { BinCount = 24 }).Restore(state));
    }

    [Fact]
    public void State_refuses_trailing_missing_or_wrong_bytes_with_an_error_naming_the_field()
    {
        var bytes = Bytes(Trained(5_000).Save());

        Assert.False(OnlineCalibrationState.TryRead([.. bytes, 0], out _, out var longer));
        Assert.False(OnlineCalibrationState.TryRead(bytes.AsSpan(0, bytes.Length - 1), out _, out var shorter));
        var badMagic = (byte[])bytes.Clone();
        badMagic[0] = (byte)'X';
        Assert.False(OnlineCalibrationState.TryRead(badMagic, out _, out var magic));
        var badMethod = (byte[])bytes.Clone();
        badMethod[6] = 7;
        Assert.False(OnlineCalibrationState.TryRead(badMethod, out _, out var method));

        Assert.Contains("length", longer, StringComparison.Ordinal);
        Assert.Contains("length", shorter, StringComparison.Ordinal);
        Assert.Contains("magic", magic, StringComparison.Ordinal);
        Assert.Contains("method", method, StringComparison.Ordinal);
    }

    [Fact]
    public void State_never_throws_on_random_bytes() =>
        Gen.Byte.Array[0, 1600].Sample(bytes =>
        {
            if (!OnlineCalibrationState.TryRead(bytes, out _, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        });

    [Fact]
    public void State_never_throws_on_mutations_of_a_valid_state()
    {
        var valid = Bytes(Trained(5_000).Save());
        Gen.Select(Gen.Int[0, valid.Length - 1].Array[1, 4], Gen.Byte.Array[4]).Sample((positions, values) =>
        {
            var bytes = (byte[])valid.Clone();
            for (var i = 0; i < positions.Length; i++)
            {
                bytes[positions[i]] = values[i];
            }

            if (OnlineCalibrationState.TryRead(bytes, out var state, out _))
            {
                // Whatever reads must restore (or be refused as another shape) and refit without throwing.
                var calibrator = new OnlineCalibrator(new LogOddsPool(3));
                if (state.Weights.Length != 3 || state.BinCounts.Length != 48 || state.MinScore != -6 || state.MaxScore != 6)
                {
                    Assert.Throws<ArgumentException>(() => calibrator.Restore(state));
                    return;
                }

                calibrator.Restore(state);
                calibrator.Refit();
                Assert.True(double.IsFinite(calibrator.Calibrate(0.3)));
            }
        });
    }

    [Fact]
    public void Options_name_the_bad_setting()
    {
        Assert.Null(new OnlineCalibratorOptions().Validate());
        Assert.Contains("LearningRate", new OnlineCalibratorOptions { LearningRate = 0 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("L2", new OnlineCalibratorOptions { L2 = -1 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("BinCount", new OnlineCalibratorOptions { BinCount = 1 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("MinScore", new OnlineCalibratorOptions { MinScore = 6 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("HalfLife", new OnlineCalibratorOptions { HalfLife = double.NaN }.Validate(), StringComparison.Ordinal);
        Assert.Contains("MinOutcomes", new OnlineCalibratorOptions { MinOutcomes = 0 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("IsotonicThreshold", new OnlineCalibratorOptions { IsotonicThreshold = 0 }.Validate(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new OnlineCalibrator(new LogOddsPool(1), new OnlineCalibratorOptions { BinCount = 5000 }));
    }

    private static OnlineCalibrator Trained(int outcomes)
    {
        var calibrator = new OnlineCalibrator(new LogOddsPool(3));
        LearnLogistic(calibrator, Synthetic.Logistic(seed: 51, count: outcomes, Truth, TruthBias), refitEvery: 100);
        Assert.True(calibrator.Refit());
        return calibrator;
    }

    /// <summary>Feeds the samples as a pipeline would: each score pooled with the current weights, a refit every <paramref name="refitEvery"/>.</summary>
    private static void LearnLogistic(OnlineCalibrator calibrator, OutcomeSamples samples, int refitEvery)
    {
        Span<double> confidences = stackalloc double[samples.StageCount];
        for (var i = 0; i < samples.Count; i++)
        {
            var logits = samples.Logits(i);
            for (var k = 0; k < confidences.Length; k++)
            {
                confidences[k] = double.IsNaN(logits[k]) ? double.NaN : LogOddsPool.Sigmoid(logits[k]);
            }

            calibrator.Learn(confidences, calibrator.Pool.Pool(confidences), samples.Outcome(i));
            if ((i + 1) % refitEvery == 0)
            {
                calibrator.Refit();
            }
        }
    }

    private static double MeanCalibrated(OnlineCalibrator calibrator, Random random)
    {
        var sum = 0.0;
        for (var i = 0; i < 10_000; i++)
        {
            sum += calibrator.Calibrate(calibrator.Pool.Pool([LogOddsPool.Sigmoid(Synthetic.Normal(random))]));
        }

        return sum / 10_000;
    }

    private static byte[] Bytes(OnlineCalibrationState state)
    {
        var writer = new ArrayBufferWriter<byte>();
        state.Write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static void Log(string message) => TestContext.Current.TestOutputHelper?.WriteLine(message);
}
