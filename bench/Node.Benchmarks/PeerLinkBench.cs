using System.Globalization;
using System.Net;
using Node.Daemon.Tests.Support;
using Node.Federation.Identity;
using Node.Protocol.Api;

namespace Node.Benchmarks;

/// <summary>
/// The peer link of the native-AOT <c>sovereign-node</c> (started with <c>--peer-port 0
/// --no-discovery</c> on a fresh state directory), outside BenchmarkDotNet, in two parts:
/// <list type="bullet">
/// <item><c>setup</c>: from TCP connect to a verified Hello (<c>PeerDialer.DialAsync</c>, a fresh
/// channel each time), against a bare TLS 1.3 + HTTP/2 handshake with the same certificates
/// (connect, <c>SslStream</c> with <c>PeerTls.ClientOptions</c>, the HTTP/2 preface and an empty
/// SETTINGS, the server's SETTINGS read), interleaved; then the node's CPU per dial of each, in blocks.</item>
/// <item><c>idle</c>: linked peers in the bench process (<see cref="BenchPeer"/>: registered and
/// trusted external through the local API, each holding a Heartbeat stream and beating every
/// <c>--interval</c> seconds), for <c>--minutes</c> at 0 peers and then at each count of
/// <c>--peers</c>: bytes on the wire and the node's CPU per peer per minute above the 0-peer
/// window, and the node's memory per peer.</item>
/// </list>
/// </summary>
/// <remarks>
/// Not BenchmarkDotNet: the figures are a real process's handshakes and CPU time seen from outside.
/// Each part starts a node of its own, so the idle baseline carries nothing of the set-up's thousands of connections.
/// </remarks>
internal static partial class PeerLinkBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var part = Text(args, "--part", "all");
        var binary = AotBinary.Find();
        Console.WriteLine($"sovereign-node {binary} ({new FileInfo(binary).Length / 1024} KiB), {Environment.ProcessorCount} cores " +
            $"({CpuModel()}), {Environment.OSVersion.VersionString}, .NET {Environment.Version}; started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load {LoadAverage()}");
        if (part is "all" or "setup")
        {
            await SetupAsync(binary, Option(args, "--dials", 1000), Option(args, "--warmup", 100), Option(args, "--cpu-dials", 300));
        }

        if (part is "all" or "idle")
        {
            var counts = Text(args, "--peers", "50").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            await IdleAsync(binary, counts, TimeSpan.FromMinutes(double.Parse(Text(args, "--minutes", "5"), CultureInfo.InvariantCulture)),
                TimeSpan.FromSeconds(Option(args, "--interval", 10)), TimeSpan.FromSeconds(Option(args, "--settle", 30)));
        }

        return 0;
    }

    /// <summary>A node for one part, and what its status says of its peer port.</summary>
    private static async Task<(ReportingNode Node, IPEndPoint PeerPort, NodeId Id, byte[] Pin)> StartNodeAsync(string binary, int reportSeconds)
    {
        var node = await ReportingNode.StartAsync(binary, reportSeconds, arguments: ["--peer-port", "0"]);
        using var api = ApiLoad.Open(node.Socket);
        var status = await new NodeService.NodeServiceClient(api).GetStatusAsync(new GetStatusRequest());
        Console.WriteLine($"node {status.NodeId} (pid {node.Pid}), peer port {status.PeerPort}, certificate sha256 {status.CertificateSha256}");
        return (node, new IPEndPoint(IPAddress.Loopback, status.PeerPort), NodeId.Parse(status.NodeId), Convert.FromHexString(status.CertificateSha256));
    }

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static int Option(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;

    private static string Text(string[] args, string name, string fallback) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
