using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Node.Federation.Identity;
using Node.Federation.Link.Client;
using Node.Federation.Link.Tls;
using Node.Testing.Processes;

namespace Node.Benchmarks;

internal static partial class PeerLinkBench
{
    // RFC 9113 §3.4: the client connection preface, then a SETTINGS frame with no parameters (§6.5).
    private static readonly byte[] PrefaceAndSettings = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];

    private static async Task SetupAsync(string binary, int dials, int warmup, int cpuDials)
    {
        Console.WriteLine();
        Console.WriteLine($"link set-up: {warmup} warm-up and {dials} measured of each, interleaved (ABBA), one peer (a stranger: tier unknown), " +
            "from 127.0.0.1, the node's certificate pinned");
        var (node, endPoint, nodeId, pin) = await StartNodeAsync(binary, reportSeconds: 3600);
        await using var _ = node;
        await using var peer = BenchPeer.Create();
        var dial = new PeerDial(endPoint, nodeId, pin);
        var hello = new List<double>(dials);
        var bare = new List<double>(dials);
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < warmup + dials; i++)
        {
            // A B, then B A: neither always goes first after the other's close.
            bool[] order = i % 2 == 0 ? [true, false] : [false, true];
            foreach (var helloNow in order)
            {
                var took = helloNow ? await TimeOrFail(() => DialHelloAsync(peer, dial)) : await TimeOrFail(() => BareHandshakeAsync(peer, endPoint, pin));
                if (took is double ms && i >= warmup)
                {
                    (helloNow ? hello : bare).Add(ms);
                }
            }
        }

        foreach (var (why, count) in failures)
        {
            Console.WriteLine($"failed {count}×: {why}");
        }

        if (hello.Count == 0 || bare.Count == 0)
        {
            throw new InvalidOperationException("No dial of one kind succeeded (above).");
        }

        Console.WriteLine("| measured | n | median | p90 | p99 | mean | max |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Row("bare TLS 1.3 + HTTP/2 handshake (connect → server SETTINGS)", bare);
        Row("PeerDialer.DialAsync (connect → verified Hello)", hello);
        Console.WriteLine($"ratio DialAsync ÷ bare: median {Percentile(hello, 50) / Percentile(bare, 50):F2}, p99 {Percentile(hello, 99) / Percentile(bare, 99):F2}, " +
            $"mean {hello.Average() / bare.Average():F2}");

        // The node's CPU per dial, each kind in a block of its own (CPU time cannot be split between interleaved dials).
        foreach (var (name, run) in new (string, Func<Task<IDisposable>>)[] { ("bare handshake", () => BareHandshakeAsync(peer, endPoint, pin)), ("DialAsync", () => DialHelloAsync(peer, dial)) })
        {
            var nodeCpu = ProcessProbe.CpuTime(node.Pid);
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.GetTimestamp();
            var done = 0;
            for (var i = 0; i < cpuDials; i++)
            {
                done += await TimeOrFail(run) is null ? 0 : 1;
            }

            var wall = Stopwatch.GetElapsedTime(clock);
            nodeCpu = ProcessProbe.CpuTime(node.Pid) - nodeCpu;
            ownCpu = Process.GetCurrentProcess().TotalProcessorTime - ownCpu;
            Console.WriteLine($"CPU, {done} × {name} in a block ({wall.TotalSeconds:F1} s): node {nodeCpu.TotalMicroseconds / Math.Max(1, done):F0} µs per dial, " +
                $"bench process {ownCpu.TotalMicroseconds / Math.Max(1, done):F0} µs per dial");
        }

        Console.WriteLine($"load {LoadAverage()}");

        // The connection is closed after the clock stops: its close is not part of the set-up.
        async Task<double?> TimeOrFail(Func<Task<IDisposable>> attempt)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var connection = await attempt();
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            catch (Exception ex) when (ex is PeerDialException or IOException or SocketException or System.Security.Authentication.AuthenticationException)
            {
                var why = $"{ex.GetType().Name}: {ex.Message}";
                failures[why] = failures.GetValueOrDefault(why) + 1;
                return null;
            }
        }
    }

    private static async Task<IDisposable> DialHelloAsync(BenchPeer peer, PeerDial dial) => await peer.Dialer.DialAsync(dial, CancellationToken.None);

    private static async Task<IDisposable> BareHandshakeAsync(BenchPeer peer, IPEndPoint endPoint, byte[] pin)
    {
        // As PeerDialer connects: no source bound, Nagle off.
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(PeerTls.ClientOptions(peer.Certificate, hash => hash.AsSpan().SequenceEqual(pin)), CancellationToken.None);
            if (tls.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
            {
                throw new IOException($"ALPN chose {tls.NegotiatedApplicationProtocol}, not h2");
            }

            await tls.WriteAsync(PrefaceAndSettings);
            await tls.FlushAsync();
            await ReadServerSettingsAsync(tls);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    // Reads HTTP/2 frames (RFC 9113 §4.1: 24-bit length, type, flags, stream id) until a SETTINGS frame that is not an ACK.
    private static async Task ReadServerSettingsAsync(Stream stream)
    {
        var header = new byte[9];
        while (true)
        {
            await stream.ReadExactlyAsync(header);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload);
            if (header[3] == 4 && (header[4] & 1) == 0 && BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) == 0)
            {
                return;
            }
        }
    }

    private static void Row(string name, List<double> ms) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {ms.Count} | {Percentile(ms, 50):F2} ms | {Percentile(ms, 90):F2} ms | {Percentile(ms, 99):F2} ms | {ms.Average():F2} ms | {ms.Max():F2} ms |"));

    private static double Percentile(List<double> values, double percent)
    {
        var sorted = values.Order().ToArray();
        var rank = percent / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }
}
