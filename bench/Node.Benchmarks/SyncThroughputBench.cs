using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Net.Client;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Api;
using Node.Protocol.Packets;

namespace Node.Benchmarks;

/// <summary>
/// End-to-end sync (issue 17): two native-AOT nodes on loopback, core peers of each other; the sender
/// is filled with N packets of 1 KB first, then the receiver is introduced and trusted, and the clock
/// runs from the trust until the receiver has verified and committed all N. The limit it is measured
/// against, in the same run: this machine's bare Ed25519 verify rate on one core (libsodium through
/// NSec, key imported once) times its cores — though both nodes, and the sender's reads, share those cores.
/// </summary>
internal static class SyncThroughputBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var packets = Option(args, "--packets", 100_000);
        var binary = AotBinary.Find();
        var (perCore, cores) = (BareVerifyRate(TimeSpan.FromSeconds(3)), Environment.ProcessorCount);
        Console.WriteLine($"bare Ed25519 verify: {perCore:N0}/s on one core × {cores} cores = limit {perCore * cores:N0}/s");

        await using var a = await ReportingNode.StartAsync(binary, reportSeconds: 3600, arguments: ["--peer-port", "0"]);
        await using var b = await ReportingNode.StartAsync(binary, reportSeconds: 3600, arguments: ["--peer-port", "0"]);
        using var channelA = Node.Cli.ApiConnection.Open(a.Socket);
        using var channelB = Node.Cli.ApiConnection.Open(b.Socket);
        var fill = Stopwatch.StartNew();
        await FillAsync(channelA, packets);
        Console.WriteLine($"sender filled with {packets:N0} packets of 1 KB in {fill.Elapsed.TotalSeconds:F1} s");

        var (statusA, statusB) = (await StatusAsync(channelA), await StatusAsync(channelB));
        var peersA = new PeerService.PeerServiceClient(channelA);
        var peersB = new PeerService.PeerServiceClient(channelB);
        await peersA.AddAsync(new AddPeerRequest { Address = $"127.0.0.1:{statusB.PeerPort}" });
        await peersB.AddAsync(new AddPeerRequest { Address = $"127.0.0.1:{statusA.PeerPort}" });
        await UntilAsync(async () => (await peersA.ListAsync(new ListPeersRequest())).Peers.Any(p => p.NodeId == statusB.NodeId)
            && (await peersB.ListAsync(new ListPeersRequest())).Peers.Any(p => p.NodeId == statusA.NodeId), TimeSpan.FromSeconds(60));

        Console.WriteLine($"load average before the sync: {LoadAverage()}");
        var clock = Stopwatch.StartNew();
        await peersA.SetTrustAsync(new SetTrustRequest { NodeId = statusB.NodeId, Tier = Node.Protocol.Api.TrustTier.Core, Reason = "bench" });
        await peersB.SetTrustAsync(new SetTrustRequest { NodeId = statusA.NodeId, Tier = Node.Protocol.Api.TrustTier.Core, Reason = "bench" });
        var first = TimeSpan.Zero;
        long firstStored = 0;
        (TimeSpan A, TimeSpan B) cpuAtFirst = default;
        await UntilAsync(async () =>
        {
            var stored = (await StatusAsync(channelB)).Store.Packets;
            if (stored > 0 && first == TimeSpan.Zero)
            {
                first = clock.Elapsed;
                firstStored = stored;
                cpuAtFirst = (CpuTime(a.Pid), CpuTime(b.Pid));
            }

            return stored >= packets;
        }, TimeSpan.FromMinutes(30), TimeSpan.FromMilliseconds(50));
        var took = clock.Elapsed;
        var (cpuA, cpuB) = (CpuTime(a.Pid) - cpuAtFirst.A, CpuTime(b.Pid) - cpuAtFirst.B);
        Console.WriteLine($"load average after the sync: {LoadAverage()}");
        var perCoreAfter = BareVerifyRate(TimeSpan.FromSeconds(3));
        // The machine is shared: the limit is the faster of the two measurements (the lower ratio).
        Console.WriteLine($"bare Ed25519 verify after the sync: {perCoreAfter:N0}/s on one core");
        perCore = Math.Max(perCore, perCoreAfter);
        var rate = packets / (took - first).TotalSeconds;
        var counted = packets - firstStored;
        Console.WriteLine($"CPU from first packet to last, per packet: sender {cpuA.TotalMicroseconds / counted:F1} µs, receiver {cpuB.TotalMicroseconds / counted:F1} µs; " +
            $"a bare verify {1e6 / perCore:F1} µs; both nodes used {(cpuA + cpuB).TotalSeconds / (took - first).TotalSeconds:F2} of the {cores} cores");
        Console.WriteLine($"receiver verified and committed {packets:N0} packets {took.TotalSeconds:F1} s after the trust (first packet at {first.TotalSeconds:F1} s: link, reconciliation)");
        Console.WriteLine($"| packets | from first packet to last | packets/s | limit (verify × cores) | ratio |");
        Console.WriteLine($"|---|---|---|---|---|");
        Console.WriteLine($"| {packets:N0} | {(took - first).TotalSeconds:F1} s | {rate:N0} | {perCore * cores:N0} | {rate / (perCore * cores):F2} |");
        Console.WriteLine($"end to end including link set-up and reconciliation: {packets / took.TotalSeconds:N0} packets/s");
        return 0;
    }

    private static async Task FillAsync(GrpcChannel channel, int packets)
    {
        var client = new KnowledgeService.KnowledgeServiceClient(channel);
        var content = ByteString.CopyFrom(new byte[1024]);
        var next = -1;
        // Eight puts in flight: the writer commits them in batches.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < packets; i = Interlocked.Increment(ref next))
            {
                await client.PutAsync(new PutKnowledgeRequest
                {
                    Topic = "bench",
                    Key = i.ToString(CultureInfo.InvariantCulture),
                    Content = content,
                    Scope = ShareScope.Core,
                });
            }
        }));
    }

    // user + system time of a process, from /proc (clock ticks of 10 ms).
    private static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10);
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static async Task<NodeStatus> StatusAsync(GrpcChannel channel) => await new NodeService.NodeServiceClient(channel).GetStatusAsync(new GetStatusRequest());

    // Verifications per second on this thread: the same call PacketVerifier makes, on a packet of the bench's size.
    private static double BareVerifyRate(TimeSpan duration)
    {
        using var author = NodeIdentity.CreateEphemeral();
        var (_, envelope) = PacketSigner.Sign(new PacketBody
        {
            Author = author.Id.ToString(), Topic = "bench", Key = "k", Kind = PacketKind.Note, MediaType = "application/octet-stream",
            Content = ByteString.CopyFrom(new byte[1024]), Hlc = 1UL << 16, Scope = ShareScope.Core,
        }, author);
        var parsed = Envelope.Parser.ParseFrom(envelope);
        var pae = Dsse.Pae(parsed.PayloadType, parsed.Payload.Span);
        var signature = parsed.Signatures[0].Sig.ToByteArray();
        var key = author.PublicKey;
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 100; i++)
            {
                if (!NodeIdentity.Verify(key, pae, signature))
                {
                    throw new InvalidOperationException("The bench's own signature does not verify.");
                }
            }

            count += 100;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout}.");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
