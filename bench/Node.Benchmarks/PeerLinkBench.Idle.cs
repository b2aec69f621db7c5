using System.Diagnostics;
using System.Globalization;
using System.Net;
using Node.Daemon.Tests.Support;
using Node.Federation.Identity;
using Node.Protocol.Api;
using Node.Testing.Processes;
using ApiPeerService = Node.Protocol.Api.PeerService;

namespace Node.Benchmarks;

internal static partial class PeerLinkBench
{
    private const int ReportSeconds = 10;

    private static async Task IdleAsync(string binary, int[] counts, TimeSpan window, TimeSpan interval, TimeSpan settle)
    {
        Console.WriteLine();
        Console.WriteLine($"idle links: windows of {window.TotalMinutes:0.#} min at 0 peers, then at {string.Join(", ", counts)} linked peers, " +
            $"each after {settle.TotalSeconds:0} s to settle; a beat every {interval.TotalSeconds:0} s; each peer from its own 127.0.0.x, its id below the node's " +
            "(so only it dials: the lower id dials), registered with address 127.0.0.1:9 and trusted external");
        var (node, endPoint, nodeId, pin) = await StartNodeAsync(binary, ReportSeconds);
        await using var _ = node;
        using var api = ApiLoad.Open(node.Socket);
        var registry = new ApiPeerService.PeerServiceClient(api);
        var peers = new List<BenchPeer>();
        var results = new List<Window>();
        try
        {
            await Task.Delay(settle); // the node's start-up trim, and its first quiet looks
            foreach (var count in counts.Prepend(0))
            {
                while (peers.Count < count)
                {
                    var peer = BenchPeer.Create(below: nodeId);
                    peers.Add(peer);
                    await registry.AddAsync(new AddPeerRequest { Address = "127.0.0.1:9", NodeId = peer.Id.ToString(), Name = $"bench-{peers.Count}" });
                    await registry.SetTrustAsync(new SetTrustRequest { NodeId = peer.Id.ToString(), Tier = Node.Protocol.Api.TrustTier.External, Reason = "bench" });
                    var source = new IPAddress([127, 0, 0, (byte)(1 + peers.Count)]);
                    await peer.StartLink(endPoint, source, nodeId, pin, interval);
                }

                await Task.Delay(settle);
                results.Add(await MeasureAsync(node, peers, window));
                Console.WriteLine(results[^1].Describe());
            }
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }

        var baseline = results[0];
        Console.WriteLine();
        Console.WriteLine("| linked peers | window | node CPU | node CPU per peer per minute, above 0 peers | bytes per peer per minute (sent + received) | " +
            "writes + reads per peer per minute | node allocated per peer per minute | VmRSS | Anonymous | GC heap live / committed | load |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var w in results)
        {
            var perPeer = w.Peers == 0 ? "–" : string.Create(CultureInfo.InvariantCulture,
                $"{(w.CpuPerMinute - baseline.CpuPerMinute).TotalMilliseconds / w.Peers:F2} ms");
            var bytes = w.Peers == 0 ? "–" : string.Create(CultureInfo.InvariantCulture,
                $"{(w.Sent + w.Received) / w.Minutes / w.Peers:F0} B ({w.Sent / w.Minutes / w.Peers:F0} + {w.Received / w.Minutes / w.Peers:F0})");
            var segments = w.Peers == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{(w.Writes + w.Reads) / w.Minutes / w.Peers:F1}");
            var allocated = w.Peers == 0 || w.AllocatedKiBPerMinute is null || baseline.AllocatedKiBPerMinute is null ? "–" : string.Create(CultureInfo.InvariantCulture,
                $"{(w.AllocatedKiBPerMinute - baseline.AllocatedKiBPerMinute) / w.Peers:F1} KiB");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {w.Peers} | {w.Minutes:F2} min | {w.CpuPerMinute.TotalMilliseconds:F1} ms/min | {perPeer} | {bytes} | {segments} | {allocated} | " +
                $"{w.RssKiB / 1024.0:F1} MiB | {w.AnonymousKiB / 1024.0:F1} MiB | {Heap(w.Gc)} | {w.Load} |"));
        }

        foreach (var w in results.Skip(1))
        {
            var gc = w.Gc is { } g && baseline.Gc is { } b
                ? string.Create(CultureInfo.InvariantCulture,
                    $", GC heap live {(g.HeapKiB - b.HeapKiB) / (double)w.Peers:F1} KiB, committed {(g.CommittedKiB - b.CommittedKiB) / (double)w.Peers:F1} KiB")
                : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory per linked peer, {w.Peers} against 0: VmRSS {(w.RssKiB - baseline.RssKiB) / (double)w.Peers:F1} KiB, " +
                $"Anonymous {(w.AnonymousKiB - baseline.AnonymousKiB) / (double)w.Peers:F1} KiB{gc}"));
        }

        static string Heap(GcFigures? gc) => gc is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{gc.HeapKiB / 1024.0:F1} / {gc.CommittedKiB / 1024.0:F1} MiB");
    }

    // A window starts and ends just after one of the node's memory reports, so its allocation is over the same span as its CPU.
    private static async Task<Window> MeasureAsync(ReportingNode node, List<BenchPeer> peers, TimeSpan window)
    {
        var first = await node.NextReportAsync(TimeSpan.FromSeconds(ReportSeconds + 5));
        var started = Stopwatch.GetTimestamp();
        var cpu = ProcessProbe.CpuTime(node.Pid);
        var (sent, received, writes, reads) = Wire(peers);
        var beats = peers.Sum(p => p.BeatsHeard);
        await Task.Delay(window);
        var last = await node.NextReportAsync(TimeSpan.FromSeconds(ReportSeconds + 5));
        var minutes = Stopwatch.GetElapsedTime(started).TotalMinutes;
        cpu = ProcessProbe.CpuTime(node.Pid) - cpu;
        var (sent2, received2, writes2, reads2) = Wire(peers);
        var ended = peers.Where(p => p.Ended is not null).Select(p => p.Ended!).ToList();
        if (ended.Count > 0)
        {
            throw new InvalidOperationException($"{ended.Count} links ended during the window: {string.Join("; ", ended.Distinct())}");
        }

        return new Window(peers.Count, minutes, cpu / minutes, sent2 - sent, received2 - received, writes2 - writes, reads2 - reads,
            peers.Sum(p => p.BeatsHeard) - beats,
            first is null || last is null ? null : (last.AllocatedKiB - first.AllocatedKiB) / minutes,
            ProcessProbe.ResidentBytes(node.Pid) / 1024, AnonymousKiB(node.Pid), last, LoadAverage());
    }

    private static (long Sent, long Received, long Writes, long Reads) Wire(List<BenchPeer> peers) =>
        (peers.Sum(p => p.Wire?.BytesWritten ?? 0), peers.Sum(p => p.Wire?.BytesRead ?? 0), peers.Sum(p => p.Wire?.Writes ?? 0), peers.Sum(p => p.Wire?.Reads ?? 0));

    // smaps_rollup's Anonymous: the process's private memory not backed by a file (heaps, stacks), resident.
    private static long AnonymousKiB(int pid) =>
        File.ReadLines($"/proc/{pid}/smaps_rollup").Where(l => l.StartsWith("Anonymous:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).Single();

    private sealed record Window(int Peers, double Minutes, TimeSpan CpuPerMinute, long Sent, long Received, long Writes, long Reads, long Beats,
        double? AllocatedKiBPerMinute, long RssKiB, long AnonymousKiB, GcFigures? Gc, string Load)
    {
        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{Peers} peers, {Minutes:F2} min: node CPU {CpuPerMinute.TotalMilliseconds:F1} ms/min; wire {Sent} B sent ({Writes} writes), {Received} B received ({Reads} reads); " +
            $"{Beats} beats answered; node allocated {AllocatedKiBPerMinute?.ToString("F0", CultureInfo.InvariantCulture) ?? "?"} KiB/min; " +
            $"VmRSS {RssKiB / 1024.0:F1} MiB, Anonymous {AnonymousKiB / 1024.0:F1} MiB, GC heap {Gc?.HeapKiB / 1024.0:F1} MiB live / {Gc?.CommittedKiB / 1024.0:F1} committed; load {Load}");
    }
}
