using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.Memory;

/// <summary>
/// A burst of thousands of watch streams, against the real daemon process (the native-AOT binary
/// when <c>SOVEREIGN_NODE_AOT_DIR</c> names one, else the JIT build): once they are gone and the
/// node is idle, it gives back what the burst took. It asserts nothing on time beyond a generous
/// deadline for the node to act; the figures are the bench's (docs/performance.md, "Memory").
/// </summary>
[Trait("Category", "Load")]
public sealed class WatchBurstMemoryTests(ITestOutputHelper output)
{
    private const int Streams = 3000;
    private const int StreamsPerConnection = 100; // Kestrel's HTTP/2 MaxStreamsPerConnection
    private const int Puts = 3;

    /// <summary>
    /// What the node may keep of the burst: its own bookkeeping, not the streams' buffers (12 MiB
    /// for 3,000); the JIT build also keeps the code it compiled for the burst.
    /// </summary>
    private static long Kept(string kind) => kind == "aot" ? 8L << 20 : 16L << 20;

    /// <summary>How long the node may take to notice it is idle: two of its looks, 10 s apart, and more.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Memory_taken_by_three_thousand_watch_streams_is_given_back_once_they_close()
    {
        var kind = DaemonProcess.AotBinary() is null ? "jit" : "aot";
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var socket = dir.Combine(".node", "api.sock");
        using var daemon = DaemonProcess.Start(kind, dir.Path, ["--no-discovery"], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");
        var first = await PutAsync(socket);
        var idle = await SteadyAsync(daemon.Id);
        var sockets = ProcessProbe.OpenSockets(daemon.Id);

        var channels = new List<GrpcChannel>();
        var calls = new List<AsyncServerStreamingCall<KnowledgePacket>>();
        try
        {
            for (var i = 0; i < Streams; i++)
            {
                if (i % StreamsPerConnection == 0)
                {
                    channels.Add(ApiLoad.Open(socket));
                }

                // Each replays the one packet stored, then waits for commits.
                calls.Add(new KnowledgeService.KnowledgeServiceClient(channels[^1]).Watch(
                    new WatchKnowledgeRequest { Topic = "burst", Replay = true, AfterSeq = first.Seq - 1 }, cancellationToken: Token));
            }

            Assert.All(await Task.WhenAll(calls.Select(c => c.ResponseStream.MoveNext(Token))), Assert.True);
            for (var i = 0; i < Puts; i++)
            {
                await PutAsync(socket);
                Assert.All(await Task.WhenAll(calls.Select(c => c.ResponseStream.MoveNext(Token))), Assert.True);
            }
        }
        finally
        {
            var peak = ProcessProbe.ResidentBytes(daemon.Id);
            output.WriteLine($"{kind}: idle {ProcessProbe.MiB(idle)}, with {calls.Count} streams open {ProcessProbe.MiB(peak)}");
            calls.ForEach(c => c.Dispose());
            channels.ForEach(c => c.Dispose());
        }

        Assert.True(await ProcessProbe.WaitForSocketsAsync(daemon.Id, sockets, TimeSpan.FromSeconds(30), Token) <= sockets, "The node kept the burst's connections.");
        var bound = idle + Kept(kind);
        var after = await AtMostAsync(daemon.Id, bound);
        output.WriteLine($"{kind}: after the burst {ProcessProbe.MiB(after)} (bound {ProcessProbe.MiB(bound)})");
        Assert.True(after <= bound,
            $"The node kept {ProcessProbe.MiB(after)} resident for {Deadline.TotalSeconds:F0} s after the burst had gone; idle before it, {ProcessProbe.MiB(idle)}.");

        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<PutKnowledgeReply> PutAsync(string socket)
    {
        using var channel = ApiLoad.Open(socket);
        return await new KnowledgeService.KnowledgeServiceClient(channel).PutAsync(
            new PutKnowledgeRequest { Topic = "burst", Key = "k", Content = ByteString.CopyFromUtf8($"note {Guid.NewGuid()}") }, cancellationToken: Token);
    }

    // The node's RSS once two samples half a second apart agree within 64 KiB (its start-up trim done), or after 10 s.
    private static async Task<long> SteadyAsync(int pid)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var (previous, rss) = (0L, ProcessProbe.ResidentBytes(pid));
        while (Math.Abs(rss - previous) > 64 << 10 && DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), Token);
            (previous, rss) = (rss, ProcessProbe.ResidentBytes(pid));
        }

        return rss;
    }

    // The node's RSS once it is at most bound, or at the deadline.
    private static async Task<long> AtMostAsync(int pid, long bound)
    {
        var until = DateTime.UtcNow + Deadline;
        var rss = ProcessProbe.ResidentBytes(pid);
        while (rss > bound && DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), Token);
            rss = ProcessProbe.ResidentBytes(pid);
        }

        return rss;
    }
}
