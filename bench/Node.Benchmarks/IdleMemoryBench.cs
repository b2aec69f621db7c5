using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Testing.Processes;

namespace Node.Benchmarks;

/// <summary>
/// The node's resident memory at idle, outside BenchmarkDotNet: the native-AOT <c>sovereign-node</c>
/// started <c>--starts</c> times on a fresh state directory with discovery off, each left alone
/// <c>--settle</c> seconds, then its RSS split by mapping (<see cref="MemoryMap"/>) beside the GC's
/// own figures (the node's memory report, made once, at the end of the settle time). With
/// <c>--baseline BIN</c> another build is started in turn with it, each start of one followed by one
/// of the other, and both are printed side by side with their ratio.
/// With <c>--watch-burst N</c>, one more node of each build then takes N concurrent
/// <c>KnowledgeService.Watch</c> streams (100 per connection), each answered once, then <c>--puts</c>
/// packets put one by one, each sent to every stream before the next; then all are closed together,
/// and its memory printed until <c>--after</c> seconds after, with the trims it logged (at Debug).
/// </summary>
internal static class IdleMemoryBench
{
    private const int StreamsPerConnection = 100; // Kestrel's default HTTP/2 MaxStreamsPerConnection

    private static readonly int[] AfterBurst = [5, 10, 20, 30, 60, 120, 300, 600]; // seconds

    public static async Task<int> RunAsync(string[] args)
    {
        var starts = Option(args, "--starts", 5);
        var settle = Option(args, "--settle", 10);
        var burst = Option(args, "--watch-burst", 0);
        var after = Option(args, "--after", 60);
        var puts = Option(args, "--puts", 10);
        var binary = AotBinary.Find();
        var baseline = Array.IndexOf(args, "--baseline") is var at and >= 0 && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : null;
        Console.WriteLine($"sovereign-node {binary} ({new FileInfo(binary).Length / 1024} KiB), {Environment.ProcessorCount} cores; " +
            $"{starts} starts, each measured after {settle} s idle (discovery off)");
        if (baseline is not null)
        {
            Console.WriteLine($"baseline {baseline} ({new FileInfo(baseline).Length / 1024} KiB), started in turn with it");
        }

        var builds = baseline is null ? [("this", binary)] : new[] { ("this", binary), ("baseline", baseline) };
        var runs = builds.ToDictionary(b => b.Item1, _ => new List<(MemoryMap Map, GcFigures? Gc, long Rss)>(), StringComparer.Ordinal);
        long? gcRange = null;
        for (var i = 0; i < starts; i++)
        {
            foreach (var (name, path) in builds)
            {
                await using var node = await ReportingNode.StartAsync(path, reportSeconds: settle);
                GcFigures? gc = null;
                if (name == "this")
                {
                    gc = await node.NextReportAsync(TimeSpan.FromSeconds(settle + 5));
                }
                else
                {
                    await Task.Delay(TimeSpan.FromSeconds(settle));
                }

                // The baseline's GC reserves the same range as ours (same runtime, same machine).
                gcRange = node.GcRegionRange ?? gcRange;
                var run = (MemoryMap.Read(node.Pid, node.Binary, gcRange ?? 0), gc, ProcessProbe.ResidentBytes(node.Pid) / 1024);
                runs[name].Add(run);
                Console.WriteLine($"start {i + 1} {name,-8}: RSS {run.Item3 / 1024.0:F1} MiB" + (gc is null ? "" :
                    $"; GC heap {gc.HeapKiB / 1024.0:F1} MiB live, {gc.CommittedKiB / 1024.0:F1} MiB committed, " +
                    $"{gc.AllocatedKiB / 1024.0:F1} MiB allocated since start, {gc.Gen0Collections} gen0 collections"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(baseline is null ? $"| where (median of {starts} starts) | MiB |" : $"| where (median of {starts} starts) | baseline MiB | this MiB | this ÷ baseline |");
        Console.WriteLine(baseline is null ? "|---|---|" : "|---|---|---|---|");
        foreach (var name in MemoryMap.Order)
        {
            Row(name, r => r.Map.KiB[name]);
        }

        Row("**VmRSS**", r => r.Rss);
        var live = runs["this"].Where(r => r.Gc is not null).Select(r => r.Gc!.HeapKiB).ToList();
        if (live.Count > 0)
        {
            Console.WriteLine($"| (of the GC's committed regions: live objects after the last collection) |{(baseline is null ? "" : " |")} {Median(live) / 1024.0:F1} |" +
                (baseline is null ? "" : " |"));
        }

        if (burst > 0)
        {
            foreach (var (name, path) in builds)
            {
                await WatchBurstAsync(name, path, burst, puts, after);
            }
        }

        return 0;

        void Row(string name, Func<(MemoryMap Map, GcFigures? Gc, long Rss), long> value)
        {
            var mine = Median(runs["this"].Select(value)) / 1024.0;
            if (baseline is null)
            {
                Console.WriteLine($"| {name} | {mine:F1} |");
                return;
            }

            var theirs = Median(runs["baseline"].Select(value)) / 1024.0;
            Console.WriteLine($"| {name} | {theirs:F1} | {mine:F1} | {(theirs > 0 ? (mine / theirs).ToString("F2", CultureInfo.InvariantCulture) : "–")} |");
        }
    }

    private static async Task WatchBurstAsync(string name, string binary, int streams, int puts, int after)
    {
        Console.WriteLine();
        Console.WriteLine($"watch burst, {name}: {streams} streams on {(streams + StreamsPerConnection - 1) / StreamsPerConnection} connections");
        await using var node = await ReportingNode.StartAsync(binary, debug: true);
        var put = await PutAsync(node.Socket);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var sockets = ProcessProbe.OpenSockets(node.Pid);
        await PrintAsync(node, "idle before");

        var channels = new List<GrpcChannel>();
        var calls = new List<AsyncServerStreamingCall<KnowledgePacket>>();
        var opened = new List<Task>();
        for (var left = streams; left > 0; left -= StreamsPerConnection)
        {
            var channel = ApiLoad.Open(node.Socket);
            channels.Add(channel);
            var client = new KnowledgeService.KnowledgeServiceClient(channel);
            for (var i = 0; i < Math.Min(left, StreamsPerConnection); i++)
            {
                // Replays the one packet stored: each stream is answered once, then waits for commits.
                var call = client.Watch(new WatchKnowledgeRequest { Topic = "burst", Replay = true, AfterSeq = put.Seq - 1 });
                calls.Add(call);
                opened.Add(call.ResponseStream.MoveNext(CancellationToken.None));
            }
        }

        await Task.WhenAll(opened);
        await PrintAsync(node, $"{calls.Count} streams open");

        // Each commit wakes every watcher, and each reads the store at once.
        for (var i = 0; i < puts; i++)
        {
            await PutAsync(node.Socket);
            await Task.WhenAll(calls.Select(c => c.ResponseStream.MoveNext(CancellationToken.None)));
        }

        await PrintAsync(node, $"{puts} packets watched");

        foreach (var call in calls)
        {
            call.Dispose(); // cancels the stream
        }

        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        await ProcessProbe.WaitForSocketsAsync(node.Pid, sockets, TimeSpan.FromSeconds(30), CancellationToken.None);
        var closed = DateTime.UtcNow;
        await PrintAsync(node, "all closed");
        foreach (var at in AfterBurst.Where(s => s <= after).Append(after).Distinct())
        {
            var wait = closed + TimeSpan.FromSeconds(at) - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            await PrintAsync(node, $"{at} s after");
        }
    }

    private static async Task<PutKnowledgeReply> PutAsync(string socket)
    {
        using var channel = ApiLoad.Open(socket);
        return await new KnowledgeService.KnowledgeServiceClient(channel).PutAsync(new PutKnowledgeRequest
        {
            Topic = "burst",
            Key = "k",
            Content = ByteString.CopyFromUtf8($"a note every watcher is sent, {Guid.NewGuid()}"),
        });
    }

    private static async Task PrintAsync(ReportingNode node, string when)
    {
        var gc = await node.NextReportAsync(TimeSpan.FromSeconds(1.5));
        Console.WriteLine($"{when,-22} RSS {ProcessProbe.ResidentBytes(node.Pid) / (1024.0 * 1024):F1} MiB; " +
            (gc is null ? "" : $"GC heap {gc.HeapKiB / 1024.0:F1} MiB live, {gc.CommittedKiB / 1024.0:F1} MiB committed, {gc.Gen0Collections} gen0 collections; ") +
            $"{ProcessProbe.OpenDescriptors(node.Pid)} descriptors ({ProcessProbe.OpenSockets(node.Pid)} sockets)");
        foreach (var trim in node.TakeTrims())
        {
            Console.WriteLine($"{"",-22} {trim}");
        }
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
