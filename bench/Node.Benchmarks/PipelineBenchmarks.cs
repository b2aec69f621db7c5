using BenchmarkDotNet.Attributes;
using Node.Reasoning;
using Node.Reasoning.Findings;
using Node.Reasoning.Memory;

namespace Node.Benchmarks;

/// <summary>
/// <see cref="ReasoningEngine.ObserveBar"/> per observation at each depth, one subject, past warm-up: one pass
/// over the 5,105 S&amp;P 500 bars per invocation, each pass shifted later in time so the subject's bars keep
/// increasing. Goals (issue 6): shallow ≤ 1 µs, moderate ≤ 5 µs, deep ≤ 50 µs, 0 B per observation.
/// The percentiles per observation come from the <c>--pipeline-latency</c> mode (<see cref="PipelineLatency"/>).
/// </summary>
/// <remarks>
/// The indicators' in-process config (many invocations per iteration, after a pilot), not <see cref="InProcessConfig"/>:
/// with one invocation per iteration the engine is still in tier-0 code when measured (9.6–12.5 µs per observation
/// against about 1.5–2 µs once tiered up).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(IndicatorBenchmarks.Config))]
public class PipelineBenchmarks
{
    private const string Subject = "sp500";
    private SpBarCycle _bars = null!;
    private ReasoningEngine _engine = null!;
    private readonly FindingBuffer _findings = new();

    [Params(Depth.Shallow, Depth.Moderate, Depth.Deep)]
    public Depth Depth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bars = new SpBarCycle(Sp500.Bars);
        _engine = new ReasoningEngine(new ReasoningOptions { Depth = Depth }, new InMemoryReasoningMemory());
        // Four passes: past every lookback and warm-up, with outcomes settled, memory filled and calibration refitted.
        for (var i = 0; i < 4; i++)
        {
            ObserveBar_per_observation();
        }
    }

    [Benchmark(OperationsPerInvoke = Sp500.BarCount, Description = "ReasoningEngine.ObserveBar (per observation)")]
    public double ObserveBar_per_observation()
    {
        var sum = 0.0;
        for (var i = 0; i < Sp500.BarCount; i++)
        {
            var bar = _bars.Next();
            _engine.ObserveBar(Subject, bar, _findings, out var conclusion);
            sum += conclusion.Score;
        }

        return sum;
    }
}
