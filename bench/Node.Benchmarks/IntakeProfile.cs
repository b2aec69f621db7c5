using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Sync;
using Node.Protocol.Packets;
using Node.Protocol.Peer;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Benchmarks;

/// <summary>
/// The sync bench's two sides taken apart, in process, on one store (docs/performance.md, "Sync
/// throughput"): how long the sender's fetch of a batch takes, how long the receiver's check
/// (parse, hash, verify on every core) and its commit take, per packet; then the same packets
/// offered again (what a peer pulling back what it just sent costs). Wall and process CPU time.
/// </summary>
internal static class IntakeProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--packets", 20_000);
        var batch = Option(args, "--batch", 800); // about what a 1 MiB fetch reply holds of these
        using var author = NodeIdentity.CreateEphemeral();
        var packets = Enumerable.Range(0, count).Select(i => PacketSigner.Sign(new PacketBody
        {
            Author = author.Id.ToString(), Topic = "bench", Key = i.ToString(CultureInfo.InvariantCulture), Kind = PacketKind.Note,
            MediaType = "application/octet-stream", Content = ByteString.CopyFrom(new byte[1024]), Hlc = (ulong)(i + 1) << 16, Scope = ShareScope.Core,
        }, author)).ToArray();

        var senderDir = Directory.CreateTempSubdirectory("sovereign-bench-intake-").FullName;
        var receiverDir = Directory.CreateTempSubdirectory("sovereign-bench-intake-").FullName;
        try
        {
            await using var sender = NodeStore.Open(senderDir, new StoreOptions(), TimeProvider.System, NullLogger.Instance);
            await using var receiver = NodeStore.Open(receiverDir, new StoreOptions(), TimeProvider.System, NullLogger.Instance);
            var senderKeys = new AuthorKeys(sender);
            var receiverKeys = new AuthorKeys(receiver);
            await senderKeys.AddOwnKeyAsync(author);
            await receiverKeys.AddOwnKeyAsync(author);
            var fill = new PacketIntake(sender.Writer, senderKeys);
            for (var i = 0; i < count; i += batch)
            {
                await fill.AcceptBatchAsync([.. packets.Skip(i).Take(batch).Select(p => new OfferedPacket(p.Envelope))], null, PacketDestination.KnowledgeBase);
            }

            var server = new SyncServer(sender, senderKeys, new ViewSets(sender, TimeProvider.System));
            var intake = new PacketIntake(receiver.Writer, receiverKeys);
            var replies = new List<FetchReply>();
            var fetch = Measure(() =>
            {
                for (var i = 0; i < count; i += batch)
                {
                    var request = new FetchRequest { ViewScope = (uint)PacketScope.Core };
                    request.Ids.AddRange(packets.Skip(i).Take(batch).Select(p => ByteString.CopyFrom(p.Id)));
                    replies.Add(server.Fetch(PacketScope.Core, request));
                }
            });
            if (replies.Sum(r => r.Packets.Count) != count)
            {
                throw new InvalidOperationException($"The sender served {replies.Sum(r => r.Packets.Count)} of {count} (a reply is capped at {SyncLimits.MaxReplyBytes} bytes: lower --batch).");
            }

            Console.WriteLine($"{count:N0} packets of 1 KB, batches of {batch}");
            Console.WriteLine("| step | wall µs/packet | CPU µs/packet |");
            Console.WriteLine("|---|---|---|");
            Row("sender: fetch by id", fetch);
            await TakeAsync("receiver", intake, replies, expected: IntakeOutcome.Stored);
            await TakeAsync("receiver, offered again", intake, replies, expected: IntakeOutcome.Duplicate);
            return 0;

            async Task TakeAsync(string who, PacketIntake to, List<FetchReply> pages, IntakeOutcome expected)
            {
                var checks = new List<CheckedBatch>();
                var check = Measure(() => checks.AddRange(pages.Select(r => to.Check([.. r.Packets.Select(p => new OfferedPacket(p.Envelope.ToByteArray()))]))));
                var results = new List<IntakeResult>();
                var commit = await MeasureAsync(async () =>
                {
                    foreach (var page in checks)
                    {
                        results.AddRange(await to.CommitAsync(page, "peer", PacketDestination.KnowledgeBase));
                    }
                });
                if (results.Count(r => r.Outcome == expected) != count)
                {
                    throw new InvalidOperationException($"{who}: {results.Count(r => r.Outcome == expected)} of {count} were {expected}.");
                }

                Row($"{who}: check", check);
                Row($"{who}: commit", commit);
            }

            void Row(string step, (TimeSpan Wall, TimeSpan Cpu) took) =>
                Console.WriteLine($"| {step} | {took.Wall.TotalMicroseconds / count:F1} | {took.Cpu.TotalMicroseconds / count:F1} |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(senderDir, recursive: true);
            Directory.Delete(receiverDir, recursive: true);
        }
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Action work)
    {
        var (wall, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
        work();
        return (wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> work)
    {
        var (wall, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
        await work();
        return (wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
