using Node.Reasoning.Confidence;
using Node.Reasoning.Findings;
using Node.Reasoning.Memory;
using Node.Reasoning.Tests.Support;

namespace Node.Reasoning.Tests.Pipeline;

/// <summary>
/// Calibration on the S&amp;P 500 file, out of sample: weights and calibration are fitted by Aletheia's reflection
/// on 2000–2011; the confidences issued from 2012 to 2020 are judged against their realised outcomes.
/// Walking forward, reflection goes on refitting from the outcomes realised so far — every confidence is
/// still issued before its outcome is known, as on a running node. Frozen, nothing is refitted after 2011.
/// </summary>
public sealed class WalkForwardCalibrationTests(ITestOutputHelper output)
{
    private static readonly long Split = new DateTimeOffset(2012, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Theory]
    [InlineData(Depth.Moderate)]
    [InlineData(Depth.Deep)]
    public void Walking_forward_from_2012_the_expected_calibration_error_is_at_most_0_05(Depth depth)
    {
        var metrics = OutOfSample(depth, frozen: false);
        Assert.True(metrics.Count > 1500, $"{metrics.Count} outcomes");
        Assert.True(metrics.ExpectedCalibrationError <= 0.05, $"ECE {metrics.ExpectedCalibrationError:F4}");
    }

    [Fact]
    public void Frozen_at_2011_the_calibration_still_beats_the_base_rate()
    {
        // Not held to 0.05: 2012–2020 is a long bull market and claims held more often than in 2000–2011;
        // a calibration that never learns again drifts (docs/reasoning.md gives the figures).
        var metrics = OutOfSample(Depth.Moderate, frozen: true);
        Assert.True(metrics.BrierSkillScore > 0, $"Brier skill {metrics.BrierSkillScore:F4}");
        Assert.True(metrics.ExpectedCalibrationError <= 0.10, $"ECE {metrics.ExpectedCalibrationError:F4}");
    }

    private CalibrationMetrics OutOfSample(Depth depth, bool frozen)
    {
        var engine = new ReasoningEngine(new ReasoningOptions { Depth = depth }, new InMemoryReasoningMemory());
        var findings = new FindingBuffer();
        var split = false;
        foreach (var bar in Sp500.Bars)
        {
            if (!split && bar.Time >= Split)
            {
                output.WriteLine($"{depth}, in sample: {Describe(engine.Aletheia.Metrics)}");
                engine.Aletheia.Frozen = frozen;
                engine.Aletheia.Metrics.Reset();
                split = true;
            }

            engine.ObserveBar("spx", bar, findings, out _);
        }

        var metrics = engine.Aletheia.Metrics;
        output.WriteLine($"{depth}, out of sample ({(frozen ? "frozen" : "walking forward")}): {Describe(metrics)}; " +
            $"method {engine.Aletheia.Calibrator.Method}, {engine.Aletheia.Reflections} reflections");
        return metrics;
    }

    private static string Describe(CalibrationMetrics m) =>
        $"{m.Count} outcomes ({m.Positives} held); Brier {m.BrierScore:F4} vs base rate {m.BaseRateBrierScore:F4} " +
        $"(skill {m.BrierSkillScore:F4}); ECE {m.ExpectedCalibrationError:F4}";
}
