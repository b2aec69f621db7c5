using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Node.Federation.Identity;
using Node.Testing.Network;

namespace Node.Benchmarks;

/// <summary>
/// mDNS discovery between real native-AOT nodes in Linux network namespaces (root only), outside
/// BenchmarkDotNet: hosts on one bridged segment (<see cref="NetworkLab"/>), node A running in host 1.
/// <list type="number">
/// <item>Time to listed: per trial a node B with a fresh state directory (a new identity) starts
/// in host 2; the clock starts just before its exec and stops when A prints B's id in its
/// "Peer … found by mDNS" line (lines are stamped as they arrive). B's own "mDNS discovery
/// announcing" and "mDNS announced" lines split the figure into process start, probing and
/// announcing, and A's browsing. Then B gets SIGTERM and the clock runs until A logs it lost.</item>
/// <item>The same against Avahi (<c>avahi-publish</c> in host 2 with a valid random node id).</item>
/// <item>Steady state: A, B and C running; after a warm-up, a capture in host 4 (joined to
/// 224.0.0.251 and ff02::fb, sending nothing) counts the multicast datagrams each address sends,
/// and each node's <c>nodectl federation diagnose --json</c> packetsSent is read before and after.</item>
/// </list>
/// Everything runs in the lab, which kills its processes and deletes its namespaces on the way
/// out, on failure and on Ctrl-C or SIGTERM alike.
/// </summary>
internal static partial class DiscoveryBench
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // Joins both groups on one interface and prints one line per datagram: seconds, source, Q or R, size, counts.
    private const string Capture = """
        import select, signal, socket, struct, sys, time
        ifname, ipv4 = sys.argv[1], sys.argv[2]
        index = socket.if_nametoindex(ifname)
        s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s4.bind(("0.0.0.0", 5353))
        s4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton("224.0.0.251") + socket.inet_aton(ipv4))
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s6.bind(("::", 5353))
        s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, "ff02::fb") + struct.pack("@I", index))
        def stop(*_):
            print("end", flush=True)
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        start = time.monotonic()
        print("ready", flush=True)
        while True:
            for s in select.select([s4, s6], [], [])[0]:
                data, source = s.recvfrom(9000)
                if len(data) < 12:
                    continue
                flags, qd, an, ns, ar = struct.unpack("!HHHHH", data[2:12])
                kind = "R" if flags & 0x8000 else "Q"
                print("%.3f %s %s %d qd=%d an=%d ns=%d ar=%d" % (time.monotonic() - start, source[0].split("%")[0], kind, len(data), qd, an, ns, ar), flush=True)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var trials = Option(args, "--trials", 20);
        var steadyMinutes = Option(args, "--steady-minutes", 5);
        var warmUpMinutes = Option(args, "--warmup-minutes", 2);
        var ipv4Only = args.Contains("--ipv4-only"); // the nodes with Federation:Discovery:IPv6=false
        var binary = AotBinary.Find();
        var nodectl = Path.Combine(Path.GetDirectoryName(binary)!, "nodectl");

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // unwind, so the lab cleans up
            cancel.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            cancel.Cancel();
        });

        var work = Directory.CreateTempSubdirectory("sovereign-discovery-");
        try
        {
            await using var lab = await NetworkLab.CreateAsync();
            var bench = new Run(lab, binary, nodectl, work.FullName, ipv4Only, cancel.Token);
            Console.WriteLine($"sovereign-node {binary}, {Environment.ProcessorCount} cores, load average {LoadAverage()}, lab {lab.Prefix}{(ipv4Only ? ", nodes on IPv4 only" : "")}");
            await bench.SetUpAsync();
            await bench.NodeTrialsAsync(trials);
            await bench.AvahiTrialsAsync(trials);
            await bench.SteadyStateAsync(TimeSpan.FromMinutes(warmUpMinutes), TimeSpan.FromMinutes(steadyMinutes));
            Console.WriteLine($"load average at the end {LoadAverage()}");
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("Interrupted: the lab's processes and namespaces were removed.");
            return 130;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private sealed class Run(NetworkLab lab, string binary, string nodectl, string work, bool ipv4Only, CancellationToken cancel)
    {
        private readonly List<LabHost> _hosts = [];
        private readonly List<LabInterface> _links = [];
        private readonly HashSet<string> _seenByA = new(StringComparer.Ordinal);
        private Node? _a;
        private int _nodes;

        public async Task SetUpAsync()
        {
            var segment = await lab.AddSegmentAsync();
            for (var i = 0; i < 4; i++)
            {
                var host = await lab.AddHostAsync();
                _hosts.Add(host);
                _links.Add(await lab.ConnectAsync(host, segment));
            }

            _a = await StartNodeAsync(_hosts[0]);
            await _a.Announced.WaitAsync(Wait, cancel);
            Console.WriteLine($"A {_a.Id} in {_hosts[0]} ({_links[0].IPv4}, {_links[0].IPv6LinkLocal}), \"mDNS announced\" line {Ms(_a.AnnouncedAt - _a.StartedAt):F0} ms after exec");
        }

        public async Task NodeTrialsAsync(int trials)
        {
            var a = _a!;
            List<double> started = [], announced = [], listed = [], lost = [], exited = [];
            Console.WriteLine();
            Console.WriteLine($"Time to listed: node B in {_hosts[1]}, {trials} trials (ms from just before B's exec; lost: from SIGTERM)");
            Console.WriteLine("trial | B discovery started | B \"announced\" line | listed by A | lost by A | B exited | lost reason");
            for (var trial = 1; trial <= trials; trial++)
            {
                var found = WaitForNewPeer(a);
                var b = await StartNodeAsync(_hosts[1]);
                await b.Announced.WaitAsync(Wait, cancel);
                var (id, foundAt) = await found.WaitAsync(Wait, cancel);
                if (id != b.Id)
                {
                    throw new InvalidOperationException($"A found {id}, not B ({b.Id}).");
                }

                var gone = WaitForLost(a, id);
                var stop = Stopwatch.GetTimestamp();
                _ = Kill(b.Process.Id, 15);
                var exitCode = await b.Process.WaitForExitAsync(Wait).WaitAsync(cancel);
                var exitAt = Stopwatch.GetTimestamp();
                var (reason, lostAt) = await gone.WaitAsync(Wait, cancel);
                await b.Process.DisposeAsync();
                if (exitCode != 0)
                {
                    throw new InvalidOperationException($"B exited {exitCode} on SIGTERM:\n{b.Process.Output}");
                }

                started.Add(Ms(b.DiscoveryStartedAt - b.StartedAt));
                announced.Add(Ms(b.AnnouncedAt - b.StartedAt));
                listed.Add(Ms(foundAt - b.StartedAt));
                lost.Add(Ms(lostAt - stop));
                exited.Add(Ms(exitAt - stop));
                Console.WriteLine($"{trial,5} | {started[^1],19:F0} | {announced[^1],11:F0} | {listed[^1],11:F0} | {lost[^1],9:F0} | {exited[^1],8:F0} | {reason}");
            }

            Console.WriteLine();
            Console.WriteLine($"| node B, {trials} trials (ms) | p50 | p95 | max |");
            Console.WriteLine("|---|---|---|---|");
            Summary("exec to discovery started (B's \"announcing … and browsing\" line)", started);
            // The responder logs "announced" with its first announcement.
            Summary("exec to B's first announcement (its \"mDNS announced\" line)", announced);
            Summary("exec to listed by A (A's \"found\" line)", listed);
            Summary("…of which after B's first announcement", [.. listed.Zip(announced, (l, n) => l - n)]);
            Summary("SIGTERM to B exited", exited);
            Summary("SIGTERM to lost by A (goodbye)", lost);
        }

        public async Task AvahiTrialsAsync(int trials)
        {
            var a = _a!;
            await using var avahi = await AvahiDaemon.StartAsync(_links[1]);
            var environment = new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = avahi.BusAddress };
            List<double> established = [], listed = [], lost = [];
            Console.WriteLine();
            Console.WriteLine($"Reference: avahi-publish in {_hosts[1]} (Avahi {AvahiVersion()}), {trials} trials (ms from just before avahi-publish's exec; lost: from SIGTERM)");
            Console.WriteLine("trial | established | listed by A | lost by A | lost reason");
            for (var trial = 1; trial <= trials; trial++)
            {
                var id = NodeId.FromPublicKey(RandomNumberGenerator.GetBytes(32)).ToString();
                var found = WaitForNewPeer(a);
                var start = Stopwatch.GetTimestamp();
                var publish = lab.Start(_hosts[1].Namespace,
                    ["avahi-publish", "-s", id, "_sovereign._tcp", "9000", "txtvers=1", $"id={id}", "proto=1"], environment);
                var establishedAt = await Stamped(publish, l => l.StartsWith("Established under name", StringComparison.Ordinal)).WaitAsync(Wait, cancel);
                var (foundId, foundAt) = await found.WaitAsync(Wait, cancel);
                if (foundId != id)
                {
                    throw new InvalidOperationException($"A found {foundId}, not the published {id}.");
                }

                var gone = WaitForLost(a, id);
                var stop = Stopwatch.GetTimestamp();
                _ = Kill(publish.Id, 15);
                var (reason, lostAt) = await gone.WaitAsync(Wait, cancel);
                await publish.DisposeAsync();
                established.Add(Ms(establishedAt.At - start));
                listed.Add(Ms(foundAt - start));
                lost.Add(Ms(lostAt - stop));
                Console.WriteLine($"{trial,5} | {established[^1],11:F0} | {listed[^1],11:F0} | {lost[^1],9:F0} | {reason}");
            }

            Console.WriteLine();
            Console.WriteLine($"| avahi-publish, {trials} trials (ms) | p50 | p95 | max |");
            Console.WriteLine("|---|---|---|---|");
            Summary("exec to \"Established under name\" (probed, announced)", established);
            Summary("exec to listed by A", listed);
            Summary("…of which after established", [.. listed.Zip(established, (l, e) => l - e)]);
            Summary("SIGTERM to lost by A (goodbye)", lost);
        }

        public async Task SteadyStateAsync(TimeSpan warmUp, TimeSpan measured)
        {
            var a = _a!;
            var foundB = WaitForNewPeer(a);
            var b = await StartNodeAsync(_hosts[1]);
            var idB = (await foundB.WaitAsync(Wait, cancel)).Id;
            var foundC = WaitForNewPeer(a);
            var c = await StartNodeAsync(_hosts[2]);
            var idC = (await foundC.WaitAsync(Wait, cancel)).Id;
            Node[] nodes = [a, b, c];
            Console.WriteLine();
            Console.WriteLine($"Steady state: A, B ({idB}) and C ({idC}) in {_hosts[0]}..{_hosts[2]}; warm-up {warmUp.TotalMinutes:0.#} min, then {measured.TotalMinutes:0.#} min counted by a capture in {_hosts[3]}");
            await Task.Delay(warmUp, cancel);

            var before = new List<long>();
            foreach (var node in nodes)
            {
                before.Add(await PacketsSentAsync(node));
            }

            var diagnoseStart = Stopwatch.GetTimestamp();
            var capture = lab.Start(_hosts[3].Namespace, ["/usr/bin/python3", "-u", "-c", Capture, _links[3].Name, _links[3].IPv4.ToString()]);
            await capture.WaitForLineAsync(l => l == "ready").WaitAsync(cancel);
            var captureStart = Stopwatch.GetTimestamp();
            await Task.Delay(measured, cancel);
            _ = Kill(capture.Id, 15);
            await capture.WaitForExitAsync(Wait).WaitAsync(cancel);
            var captureMinutes = Stopwatch.GetElapsedTime(captureStart).TotalMinutes;
            var after = new List<long>();
            foreach (var node in nodes)
            {
                after.Add(await PacketsSentAsync(node));
            }

            var diagnoseMinutes = Stopwatch.GetElapsedTime(diagnoseStart).TotalMinutes;
            var datagrams = capture.Lines.Select(Datagram.TryParse).OfType<Datagram>().ToList();
            Console.WriteLine($"capture: {datagrams.Count} datagrams in {captureMinutes:F2} min; diagnose interval {diagnoseMinutes:F2} min");
            foreach (var d in datagrams)
            {
                Console.WriteLine($"  {d.Seconds,8:F3} s  {Name(d.Source),-8} {d.Kind} {d.Size,4} B  {d.Counts}");
            }

            Console.WriteLine();
            Console.WriteLine("| node | multicast datagrams captured (IPv4 + IPv6) | per minute | of which queries / responses | mDNS messages per minute (one per family each) | packetsSent delta (diagnose) | per minute |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            for (var i = 0; i < nodes.Length; i++)
            {
                var link = _links[i];
                var mine = datagrams.Where(d => d.Source == link.IPv4.ToString() || d.Source == link.IPv6LinkLocal.ToString()).ToList();
                var v4 = mine.Count(d => d.Source == link.IPv4.ToString());
                var v6 = mine.Count - v4;
                var queries = mine.Count(d => d.Kind == 'Q');
                var delta = after[i] - before[i];
                Console.WriteLine($"| {"ABC"[i]} | {mine.Count} ({v4} + {v6}) | {mine.Count / captureMinutes:F2} | {queries} / {mine.Count - queries} | " +
                    $"{Math.Max(v4, v6) / captureMinutes:F2} | {delta} | {delta / diagnoseMinutes:F2} |");
            }

            var others = datagrams.Where(d => Name(d.Source) == "?").ToList();
            if (others.Count > 0)
            {
                Console.WriteLine($"from other addresses: {others.Count} ({string.Join(", ", others.Select(d => d.Source).Distinct())})");
            }
        }

        private string Name(string address)
        {
            for (var i = 0; i < _links.Count; i++)
            {
                if (address == _links[i].IPv4.ToString() || address == _links[i].IPv6LinkLocal.ToString())
                {
                    return i < 3 ? "ABC"[i].ToString() : "capture";
                }
            }

            return "?";
        }

        private async Task<long> PacketsSentAsync(Node node)
        {
            var result = await NetworkLab.RunInAsync(node.Host.Namespace, nodectl, "--socket", Path.Combine(node.DataDirectory, "api.sock"),
                "--json", "federation", "diagnose").WaitAsync(cancel);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"nodectl federation diagnose exited {result.ExitCode}: {result.Output}");
            }

            using var json = JsonDocument.Parse(result.Output);
            return json.RootElement.GetProperty("links").EnumerateArray().Sum(l => l.GetProperty("packetsSent").GetInt64());
        }

        private async Task<Node> StartNodeAsync(LabHost host)
        {
            var number = Interlocked.Increment(ref _nodes);
            var data = Path.Combine(work, $"node{number}");
            var started = Stopwatch.GetTimestamp();
            var process = lab.Start(host.Namespace,
                [binary, "--data-dir", data, "--name", $"bench-{number}", "--set", "Federation:Discovery:Enabled=true",
                    .. (ipv4Only ? (string[])["--set", "Federation:Discovery:IPv6=false"] : [])],
                new Dictionary<string, string> { ["SOVEREIGN_NODE__Federation__Discovery__Enabled"] = "true" });
            var discovery = Stamped(process, l => AnnouncingLine().IsMatch(l));
            var announced = Stamped(process, l => l.Contains("mDNS announced ", StringComparison.Ordinal));
            var node = new Node(host, process, data, started, discovery, announced);
            await node.Discovery.WaitAsync(Wait, cancel);
            return node;
        }

        // Registered before the peer starts: the first "found" line for an id A has not found before.
        private Task<(string Id, long At)> WaitForNewPeer(Node a)
        {
            string? id = null;
            var line = Stamped(a.Process, l =>
            {
                if (FoundLine().Match(l) is { Success: true } match && !_seenByA.Contains(match.Groups[1].Value))
                {
                    id = match.Groups[1].Value;
                    return true;
                }

                return false;
            });
            return Then(line, stamped =>
            {
                _seenByA.Add(id!);
                return (id!, stamped.At);
            });
        }

        private static Task<(string Reason, long At)> WaitForLost(Node a, string id) =>
            Then(Stamped(a.Process, l => LostLine().Match(l) is { Success: true } m && m.Groups[1].Value == id),
                stamped => (LostLine().Match(stamped.Line).Groups[2].Value, stamped.At));

        private static async Task<TOut> Then<TIn, TOut>(Task<TIn> task, Func<TIn, TOut> map) => map(await task);
    }

    private sealed class Node(LabHost host, LabProcess process, string dataDirectory, long startedAt,
        Task<(string Line, long At)> discovery, Task<(string Line, long At)> announced)
    {
        public LabHost Host { get; } = host;

        public LabProcess Process { get; } = process;

        public string DataDirectory { get; } = dataDirectory;

        public long StartedAt { get; } = startedAt;

        public Task<(string Line, long At)> Discovery { get; } = discovery;

        public Task<(string Line, long At)> Announced { get; } = announced;

        public string Id => AnnouncingLine().Match(Discovery.Result.Line).Groups[1].Value;

        public long DiscoveryStartedAt => Discovery.Result.At;

        public long AnnouncedAt => Announced.Result.At;
    }

    private sealed record Datagram(double Seconds, string Source, char Kind, int Size, string Counts)
    {
        public static Datagram? TryParse(string line)
        {
            var f = line.Split(' ', 5);
            return f.Length == 5 && double.TryParse(f[0], CultureInfo.InvariantCulture, out var seconds) && int.TryParse(f[3], CultureInfo.InvariantCulture, out var size)
                ? new Datagram(seconds, f[1], f[2][0], size, f[4])
                : null;
        }
    }

    // The line and the moment it was read: the match runs as each line arrives, so the stamp is the arrival.
    private static Task<(string Line, long At)> Stamped(LabProcess process, Func<string, bool> match)
    {
        long at = 0;
        var line = process.WaitForLineAsync(l =>
        {
            if (match(l))
            {
                at = Stopwatch.GetTimestamp();
                return true;
            }

            return false;
        }, Wait);
        return Stamp(line, () => at);

        static async Task<(string, long)> Stamp(Task<string> line, Func<long> at) => (await line, at());
    }

    private static void Summary(string what, List<double> values)
    {
        var sorted = values.Order().ToArray();
        Console.WriteLine($"| {what} | {Percentile(sorted, 0.50):F0} | {Percentile(sorted, 0.95):F0} | {sorted[^1]:F0} |");
    }

    // Nearest rank, as the other modes.
    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var l ? string.Join(' ', l) : "";

    private static string AvahiVersion()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new ProcessStartInfo("avahi-daemon", "--version") { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    [GeneratedRegex(@"mDNS discovery announcing (\S+) on peer port")]
    private static partial Regex AnnouncingLine();

    [GeneratedRegex(@"Peer (\S+) found by mDNS")]
    private static partial Regex FoundLine();

    [GeneratedRegex(@"Peer (\S+) lost \((.*)\)")]
    private static partial Regex LostLine();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
