using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Node.Daemon.Tests.Support;
using Node.Testing.Processes;

namespace Node.Benchmarks;

/// <summary>
/// The local API under load, outside BenchmarkDotNet: the native-AOT <c>sovereign-node</c> on a
/// fresh state directory, a few notes stored, then <c>--clients</c> concurrent clients (one
/// connection each) calling GetStatus and List in turn: one warm-up round, then
/// <c>--rounds</c> measured rounds of <c>--seconds</c> each (<c>--calls both|statusonly|listonly</c>
/// to load one method alone). Prints calls/s, latency
/// percentiles, errors, and the node's RSS and open descriptors between rounds.
/// </summary>
/// <remarks>
/// Not a BenchmarkDotNet benchmark: its unit is one method invocation timed by its engine, while
/// this is one long run of many concurrent callers whose own latencies make the figure.
/// The driver is the load test's (tests/Node.Daemon.Tests/Support/ApiLoad.cs, linked).
/// </remarks>
internal static partial class ApiLoadBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var clients = Option(args, "--clients", 200);
        var seconds = Option(args, "--seconds", 10);
        var rounds = Option(args, "--rounds", 3);
        var warmUp = Option(args, "--warmup", 3);
        var calls = Array.IndexOf(args, "--calls") is var at and >= 0 && at + 1 < args.Length
            ? Enum.Parse<ApiLoad.Calls>(args[at + 1], ignoreCase: true)
            : ApiLoad.Calls.Both;
        var binary = AotBinary.Find();

        var dir = Directory.CreateTempSubdirectory("sovereign-load-").FullName;
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(Path.Combine(dir, "notify.sock")));
        var start = new ProcessStartInfo(binary) { WorkingDirectory = dir, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(Path.Combine(dir, "state"));
        start.Environment["NOTIFY_SOCKET"] = Path.Combine(dir, "notify.sock");
        using var daemon = Process.Start(start)!;
        _ = daemon.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        try
        {
            await WaitForReadyAsync(notify);
            var socket = Path.Combine(dir, "state", "api.sock");
            await ApiLoad.SeedAsync(socket, 20, CancellationToken.None);
            await Task.Delay(500);
            Console.WriteLine($"sovereign-node {binary} (pid {daemon.Id}), {Environment.ProcessorCount} cores, {clients} clients, calls: {calls} (List pages hold the 20 notes stored)");
            Console.WriteLine($"idle:    {Probe(daemon.Id)}");

            var result = await ApiLoad.RunAsync(socket, clients, TimeSpan.FromSeconds(warmUp), CancellationToken.None, calls);
            await Task.Delay(1000);
            Console.WriteLine($"warm-up: {result}");
            Console.WriteLine($"         {Probe(daemon.Id)}");
            for (var round = 1; round <= rounds; round++)
            {
                var cpu = ProcessProbe.CpuTime(daemon.Id);
                var self = Process.GetCurrentProcess().TotalProcessorTime;
                result = await ApiLoad.RunAsync(socket, clients, TimeSpan.FromSeconds(seconds), CancellationToken.None, calls);
                cpu = ProcessProbe.CpuTime(daemon.Id) - cpu;
                self = Process.GetCurrentProcess().TotalProcessorTime - self;
                await Task.Delay(1000);
                Console.WriteLine($"round {round}: {result}");
                Console.WriteLine($"         node CPU {cpu.TotalSeconds:F1} s ({cpu.TotalMicroseconds / Math.Max(1, result.Calls):F0} µs/call), " +
                    $"clients' CPU {self.TotalSeconds:F1} s ({self.TotalMicroseconds / Math.Max(1, result.Calls):F0} µs/call)");
                Console.WriteLine($"         {Probe(daemon.Id)}");
            }

            await Task.Delay(5000);
            Console.WriteLine($"idle 5 s later: {Probe(daemon.Id)}");
            return 0;
        }
        finally
        {
            _ = Kill(daemon.Id, 15);
            if (!daemon.WaitForExit(10_000))
            {
                daemon.Kill();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Probe(int pid) =>
        $"RSS {ProcessProbe.MiB(ProcessProbe.ResidentBytes(pid))}, {ProcessProbe.OpenDescriptors(pid)} open descriptors ({ProcessProbe.OpenSockets(pid)} sockets)";

    private static async Task WaitForReadyAsync(Socket notify)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        while (true)
        {
            var n = await notify.ReceiveAsync(buffer, timeout.Token);
            if (Encoding.UTF8.GetString(buffer, 0, n).Split('\n').Contains("READY=1"))
            {
                return;
            }
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
