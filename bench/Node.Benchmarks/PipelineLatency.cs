using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Node.Reasoning;
using Node.Reasoning.Findings;
using Node.Reasoning.Memory;
using Node.Reasoning.Observations;

namespace Node.Benchmarks;

/// <summary>
/// The reasoning pipeline's latency per observation, outside BenchmarkDotNet: for each depth a fresh engine on
/// one subject, warmed up, then <c>--observations</c> N (default 1,000,000) calls of
/// <see cref="ReasoningEngine.ObserveBar"/>, each timed alone with <see cref="Stopwatch.GetTimestamp"/>. Prints the
/// timer's own cost (subtracted from every sample), mean, p50, p99, p99.9 and max, and the bytes this thread
/// allocated over the N (<see cref="GC.GetAllocatedBytesForCurrentThread"/>).
/// </summary>
/// <remarks>
/// BenchmarkDotNet gives a mean over many calls; the goals are per observation and at the tail, so each call is
/// timed. Runs under the JIT from the bench, and as native AOT from bench/Node.PipelineLatency, which links this file.
/// </remarks>
internal static class PipelineLatency
{
    private const string Subject = "sp500";

    public static int Run(string[] args)
    {
        var observations = Option(args, "--observations", 1_000_000);
        var warmUp = Option(args, "--warmup", 200_000);
        var depths = Array.IndexOf(args, "--depth") is var at and >= 0 && at + 1 < args.Length
            ? [Enum.Parse<Depth>(args[at + 1], ignoreCase: true)]
            : new[] { Depth.Shallow, Depth.Moderate, Depth.Deep };
        var bars = Sp500.Bars;
        var overhead = TimerOverhead();
        var runtime = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled ? "JIT" : "native AOT";
        Console.WriteLine($"{runtime}, .NET {Environment.Version}, {Environment.ProcessorCount} cores, server GC {GCSettings.IsServerGC}; " +
            $"{observations:N0} observations per depth after {warmUp:N0} of warm-up");
        Console.WriteLine($"timer: Stopwatch.GetTimestamp pair costs {Ns(overhead)} (median, subtracted from each sample), frequency {Stopwatch.Frequency:N0}/s");
        Console.WriteLine("| depth | mean | p50 | p99 | p99.9 | max | allocated over N | per observation |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var depth in depths)
        {
            Measure(depth, bars, observations, warmUp, overhead);
        }

        NoiseFloor(observations, overhead);
        return 0;
    }

    // The same timing around fixed work of about the same length (a chain of dependent multiplies, no memory):
    // its tail is the machine's (interrupts, the hypervisor, other tenants), not the pipeline's.
    private static void NoiseFloor(int observations, long overhead)
    {
        var samples = new long[observations];
        var x = 1UL;
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                for (var k = 0; k < 2_000; k++)
                {
                    x = (x * 6364136223846793005UL) + 1442695040888963407UL;
                }

                samples[i] = Math.Max(0, Stopwatch.GetTimestamp() - start - overhead);
            }
        }

        GC.KeepAlive(x);
        var sum = 0.0;
        foreach (var sample in samples)
        {
            sum += sample;
        }

        Array.Sort(samples);
        Console.WriteLine($"| fixed work (noise floor) | {Ns(sum / samples.Length)} | {Ns(Percentile(samples, 0.50))} | {Ns(Percentile(samples, 0.99))} | " +
            $"{Ns(Percentile(samples, 0.999))} | {Ns(samples[^1])} | — | — |");
    }

    private static void Measure(Depth depth, Bar[] bars, int observations, int warmUp, long overhead)
    {
        var cycle = new SpBarCycle(bars);
        var engine = new ReasoningEngine(new ReasoningOptions { Depth = depth }, new InMemoryReasoningMemory());
        var findings = new FindingBuffer();
        for (var i = 0; i < warmUp; i++)
        {
            engine.ObserveBar(Subject, cycle.Next(), findings, out _);
        }

        var samples = new long[observations];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < samples.Length; i++)
        {
            var bar = cycle.Next();
            var start = Stopwatch.GetTimestamp();
            engine.ObserveBar(Subject, bar, findings, out _);
            samples[i] = Stopwatch.GetTimestamp() - start;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var sum = 0.0;
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = Math.Max(0, samples[i] - overhead);
            sum += samples[i];
        }

        Array.Sort(samples);
        Console.WriteLine($"| {depth.ToString().ToLowerInvariant()} | {Ns(sum / samples.Length)} | {Ns(Percentile(samples, 0.50))} | " +
            $"{Ns(Percentile(samples, 0.99))} | {Ns(Percentile(samples, 0.999))} | {Ns(samples[^1])} | {allocated:N0} B | " +
            $"{(double)allocated / samples.Length:0.###} B |");
    }

    // The cost of the two timestamps around a sample: the median of a million back-to-back pairs.
    private static long TimerOverhead()
    {
        var pairs = new long[1_000_000];
        for (var i = 0; i < pairs.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            pairs[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(pairs);
        return pairs[pairs.Length / 2];
    }

    private static long Percentile(long[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Ns(double ticks)
    {
        var ns = ticks * 1e9 / Stopwatch.Frequency;
        return ns < 10_000 ? $"{ns:F0} ns" : $"{ns / 1000:F1} µs";
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
