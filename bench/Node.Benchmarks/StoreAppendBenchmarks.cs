using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Storage;
using Node.Storage.Events.Payloads;

namespace Node.Benchmarks;

/// <summary>
/// Small durable writes under group commit, as the node makes them: an event, or a reasoning
/// conclusion (a memory row plus its event). <see cref="Writers"/> producers each await their
/// own writes one after another, <see cref="Writes"/> in all; BenchmarkDotNet reports the
/// amortized time per write, and the per-call latency percentiles of every iteration are printed
/// at the end (a caller waits for its group's fsync, so one call's latency is far above the
/// amortized cost).
/// </summary>
[Config(typeof(InProcessConfig))]
public class StoreAppendBenchmarks
{
    public const int Writes = 20_480; // a multiple of Writers
    private static readonly PeerTrustChangedEvent TierChanged = new("SN4Q7XK-2P9DMAB-CDEFGHI-JKLMNOP", "unknown", "core", "bench", "benchmark");
    private static readonly DecisionMadeEvent Concluded = new("d-bench", "none", "auto_approved", 0.71, "SPX");
    private static readonly byte[] Conclusion = Encoding.UTF8.GetBytes(
        """{"subject":"SPX","bar":"2020-04-17","finding":"breakout","confidence":0.71,"evidence":["donchian20","volume p90"],"decision":"none"}""");

    private readonly long[] _latencies = new long[Writes];
    private readonly List<string> _report = [];
    private string _dir = "";
    private NodeStore? _store;

    [Params(64)]
    public int Writers { get; set; }

    [IterationSetup]
    public void Open()
    {
        _dir = Directory.CreateTempSubdirectory("sovereign-bench-append-").FullName;
        _store = NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance);
    }

    [IterationCleanup]
    public void Close()
    {
        var sorted = _latencies.Order().ToArray();
        _report.Add($"per-call latency: p50 {Micros(sorted[Writes / 2])} us, p99 {Micros(sorted[Writes * 99 / 100])} us, batches {_store!.Writer.CommittedBatches}");
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [GlobalCleanup]
    public void Report()
    {
        foreach (var line in _report)
        {
            Console.WriteLine($"// {line}");
        }

        _report.Clear();
    }

    [Benchmark(OperationsPerInvoke = Writes, Description = "append an event")]
    public Task Append_event() => Run(c => c.AppendEvent(TierChanged));

    [Benchmark(OperationsPerInvoke = Writes, Description = "persist a conclusion (memory row + event)")]
    public Task Persist_conclusion() => Run(c =>
    {
        c.Memory.Insert("SPX", c.Now, "conclusion", Conclusion);
        c.AppendEvent(Concluded);
    });

    private async Task Run(Action<Node.Storage.Writing.WriteContext> write)
    {
        var perWriter = Writes / Writers;
        var writers = new Task[Writers];
        for (var w = 0; w < Writers; w++)
        {
            var first = w * perWriter;
            writers[w] = Task.Run(async () =>
            {
                for (var i = first; i < first + perWriter; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await _store!.Writer.WriteAsync(write).ConfigureAwait(false);
                    _latencies[i] = Stopwatch.GetTimestamp() - started;
                }
            });
        }

        await Task.WhenAll(writers);
    }

    private static string Micros(long ticks) => (ticks * 1_000_000.0 / Stopwatch.Frequency).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
}
