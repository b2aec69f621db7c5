using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;
using Node.Reasoning;
using Node.Reasoning.Findings;
using Node.Reasoning.Indicators;
using Node.Reasoning.Memory;
using Node.Reasoning.Observations;
using Node.Reasoning.Reasoners;

namespace Node.Benchmarks;

/// <summary>
/// Where an observation's time goes: each public part of the pipeline timed alone, in a loop of
/// <c>--observations</c> N calls (default 1,000,000; mean per call), on the features of the S&amp;P 500 bars after
/// warm-up, and the whole engine at each depth with reflection on (every 100 cycles) and off, for the difference.
/// </summary>
/// <remarks>
/// Parts timed alone are faster than inside the engine (their state stays in cache), so the sum of the parts is a
/// floor. <c>--pipeline-breakdown</c> in the bench (JIT); bench/Node.PipelineLatency links this file (native AOT).
/// </remarks>
internal static class PipelineBreakdown
{
    private const string Subject = "sp500";

    public static int Run(string[] args)
    {
        var n = Option(args, "--observations", 1_000_000);
        var bars = Sp500.Bars;
        var runtime = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled ? "JIT" : "native AOT";
        Console.WriteLine($"{runtime}, {n:N0} calls per line, mean per call");
        Console.WriteLine("| part | shallow | moderate | deep |");
        Console.WriteLine("|---|---|---|---|");

        // The features of two passes, past every lookback, for the reasoners timed alone.
        var indicators = new MarketIndicators();
        var cycle = new SpBarCycle(bars);
        for (var i = 0; i < bars.Length; i++)
        {
            indicators.Update(cycle.Next());
        }

        var features = new MarketFeatures[bars.Length];
        for (var i = 0; i < features.Length; i++)
        {
            indicators.Update(cycle.Next());
            features[i] = indicators.Current;
        }

        Row("bar source (SpBarCycle.Next)", _ => Time(n, i => cycle.Next().Close));
        Row("MarketIndicators.Update", _ => Time(n, i =>
        {
            indicators.Update(cycle.Next());
            return indicators.Current.Atr14;
        }));
        var buffer = new FindingBuffer();
        Row("Kyle.Analyze", depth =>
        {
            var kyle = new Kyle();
            return Time(n, i =>
            {
                buffer.Clear();
                kyle.Analyze(features[i % features.Length], depth, buffer);
                return buffer.Count;
            });
        });
        Row("Baseline.Observe (ID)", depth =>
        {
            var baseline = new Baseline();
            return depth == Depth.Shallow ? double.NaN : Time(n, i => baseline.Observe(features[i % features.Length], depth));
        });

        // Joey and Aletheia from an engine warmed at that depth, so memory and calibration hold what they would.
        Row("Joey.Recall", depth =>
        {
            var engine = Warm(depth, bars);
            return depth == Depth.Shallow ? double.NaN : Time(n, i =>
            {
                buffer.Clear();
                return engine.Joey.Recall(Subject, FindingKind.Trend, (i & 1) == 0 ? 1 : -1, depth, buffer);
            });
        });
        Row("memory.Remember (each claim)", depth =>
        {
            var memory = Warm(depth, bars).Joey.Memory;
            return Time(n, i =>
            {
                memory.Remember(Subject, FindingKind.Trend, (i & 1) == 0 ? 1 : -1, 0.6, i);
                return 0;
            });
        });
        Row("memory.Learn (each outcome)", depth =>
        {
            var memory = Warm(depth, bars).Joey.Memory;
            return Time(n, i =>
            {
                memory.Learn(Subject, FindingKind.Trend, (i & 1) == 0 ? 1 : -1, (i & 2) == 0);
                return 0;
            });
        });
        Row("Aletheia.Score + Calibrate", depth =>
        {
            var aletheia = Warm(depth, bars).Aletheia;
            var stages = Stages(depth);
            return Time(n, i =>
            {
                stages[StageConfidences.Analyze] = 0.5 + (i % 45 / 100.0);
                return aletheia.Calibrate(aletheia.Score(stages));
            });
        });
        Row("Aletheia.Learn (each outcome)", depth =>
        {
            var aletheia = Warm(depth, bars).Aletheia;
            var stages = Stages(depth);
            return Time(n, i =>
            {
                aletheia.Learn(stages, 0.3, 0.6, false, (i & 1) == 0);
                return 0;
            });
        });
        Row("Aletheia refit (each reflection)", depth =>
        {
            var aletheia = Warm(depth, bars).Aletheia;
            return Time(Math.Max(1, n / 100), i => aletheia.Calibrator.Refit() ? 1 : 0);
        });
        // MarketIndicators' two percentile ranks count over 20 and 126 values per bar (PercentileRank, a scalar loop):
        // that count alone, and the same count with vectors, for the next step on Update.
        var window126 = features.AsSpan(0, 126).ToArray().Select(f => f.Bandwidth).ToArray();
        var window20 = features.AsSpan(0, 20).ToArray().Select(f => f.Volume).ToArray();
        Row("percentile counts, scalar (20 + 126 values)", _ => Time(n, i =>
            ScalarCount(window20, features[i % features.Length].Volume) + ScalarCount(window126, features[i % features.Length].Bandwidth)));
        Row("percentile counts, Vector256 (20 + 126 values)", _ => Time(n, i =>
            VectorCount(window20, features[i % features.Length].Volume) + VectorCount(window126, features[i % features.Length].Bandwidth)));
        Row("whole engine, reflection every 100", depth => Engine(depth, bars, n, 100));
        Row("whole engine, reflection every 100,000", depth => Engine(depth, bars, n, 100_000));
        return 0;
    }

    private static int ScalarCount(double[] values, double value)
    {
        var below = 0;
        foreach (var held in values)
        {
            below += held <= value ? 1 : 0;
        }

        return below;
    }

    private static int VectorCount(double[] values, double value)
    {
        var span = values.AsSpan();
        var below = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(value);
            for (; i <= span.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                below += BitOperations.PopCount(Vector256.LessThanOrEqual(Vector256.Create(span.Slice(i, Vector256<double>.Count)), v).ExtractMostSignificantBits());
            }
        }

        for (; i < span.Length; i++)
        {
            below += span[i] <= value ? 1 : 0;
        }

        return below;
    }

    private static double Engine(Depth depth, Bar[] bars, int n, int reflectionInterval)
    {
        var engine = new ReasoningEngine(new ReasoningOptions { Depth = depth, ReflectionInterval = reflectionInterval }, new InMemoryReasoningMemory());
        var cycle = new SpBarCycle(bars);
        var findings = new FindingBuffer();
        for (var i = 0; i < 4 * bars.Length; i++)
        {
            engine.ObserveBar(Subject, cycle.Next(), findings, out _);
        }

        return Time(n, i =>
        {
            engine.ObserveBar(Subject, cycle.Next(), findings, out var conclusion);
            return conclusion.Score;
        });
    }

    private static ReasoningEngine Warm(Depth depth, Bar[] bars)
    {
        var engine = new ReasoningEngine(new ReasoningOptions { Depth = depth }, new InMemoryReasoningMemory());
        var cycle = new SpBarCycle(bars);
        var findings = new FindingBuffer();
        for (var i = 0; i < 4 * bars.Length; i++)
        {
            engine.ObserveBar(Subject, cycle.Next(), findings, out _);
        }

        return engine;
    }

    private static StageConfidences Stages(Depth depth)
    {
        var stages = StageConfidences.Abstained;
        stages[StageConfidences.Perceive] = 0.8;
        stages[StageConfidences.Analyze] = 0.6;
        if (depth != Depth.Shallow)
        {
            stages[StageConfidences.Baseline] = 0.5;
            stages[StageConfidences.Recall] = 0.55;
            stages[StageConfidences.Validate] = 0.52;
        }

        return stages;
    }

    private static void Row(string part, Func<Depth, double> nanoseconds)
    {
        var cells = new[] { Depth.Shallow, Depth.Moderate, Depth.Deep }
            .Select(d => nanoseconds(d) is var ns && double.IsNaN(ns) ? "—" : ns < 10_000 ? $"{ns:F0} ns" : $"{ns / 1000:F1} µs");
        Console.WriteLine($"| {part} | {string.Join(" | ", cells)} |");
    }

    // Mean ns per call of the second of two timed loops (the first warms the code up).
    private static double Time(int n, Func<int, double> call)
    {
        var sink = 0.0;
        var elapsed = 0L;
        for (var round = 0; round < 2; round++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++)
            {
                sink += call(i);
            }

            elapsed = Stopwatch.GetTimestamp() - start;
        }

        GC.KeepAlive(sink);
        return elapsed * 1e9 / Stopwatch.Frequency / n;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
