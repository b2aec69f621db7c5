using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Node.Benchmarks;

/// <summary>
/// A native-AOT <c>sovereign-node</c> on a fresh state directory, discovery off, with its memory
/// report on (<c>SOVEREIGN_NODE_MEMORY_REPORT</c>, every <c>reportSeconds</c>): started, ready
/// (READY=1), its latest report at hand, stopped by SIGTERM on dispose. A binary built before the
/// report existed (a baseline) runs the same; it just never reports.
/// </summary>
internal sealed partial class ReportingNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly Task _reading;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _trims = new();
    private volatile string? _settings;
    private volatile GcFigures? _latest;

    private ReportingNode(Process process, string dir)
    {
        _process = process;
        _dir = dir;
        _reading = ReadAsync();
    }

    public int Pid => _process.Id;

    public string Binary => _process.StartInfo.FileName;

    public string Socket => Path.Combine(_dir, "state", "api.sock");

    /// <summary>The GC's region range (bytes), from the report's settings line; null before it, or from a binary that does not report.</summary>
    public long? GcRegionRange => _settings is { } s && RegionRange().Match(s) is { Success: true } m
        ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// Starts a node; with <paramref name="debug"/> it logs at Debug, so its trims are logged (<see cref="TakeTrims"/>);
    /// <paramref name="arguments"/> are added to its command line.
    /// </summary>
    public static async Task<ReportingNode> StartAsync(string binary, int reportSeconds = 1, bool debug = false, IReadOnlyList<string>? arguments = null)
    {
        var dir = Directory.CreateTempSubdirectory("sovereign-memory-").FullName;
        using var notify = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(Path.Combine(dir, "notify.sock")));
        var start = new ProcessStartInfo(binary) { WorkingDirectory = dir, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(Path.Combine(dir, "state"));
        start.ArgumentList.Add("--no-discovery");
        if (debug)
        {
            start.ArgumentList.Add("--log-level");
            start.ArgumentList.Add("Debug");
        }

        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NOTIFY_SOCKET"] = Path.Combine(dir, "notify.sock");
        start.Environment["SOVEREIGN_NODE_MEMORY_REPORT"] = reportSeconds.ToString(CultureInfo.InvariantCulture);

        var node = new ReportingNode(Process.Start(start)!, dir);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        while (!Encoding.UTF8.GetString(buffer, 0, await notify.ReceiveAsync(buffer, timeout.Token)).Split('\n').Contains("READY=1"))
        {
        }

        return node;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a report made after now; null if none comes (a binary that does not report).</summary>
    public async Task<GcFigures?> NextReportAsync(TimeSpan timeout)
    {
        var before = _latest;
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (ReferenceEquals(_latest, before) && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(20);
        }

        return ReferenceEquals(_latest, before) ? null : _latest;
    }

    /// <summary>The trimmer's log lines since the last call (a node started with debug).</summary>
    public IReadOnlyList<string> TakeTrims()
    {
        var lines = new List<string>();
        while (_trims.TryDequeue(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Contains("Memory trimmed", StringComparison.Ordinal))
            {
                _trims.Enqueue(line[(line.IndexOf("Memory trimmed", StringComparison.Ordinal))..]);
            }
            else if (line.Contains("Memory report: GC settings", StringComparison.Ordinal))
            {
                _settings = line;
            }
            else if (Report().Match(line) is { Success: true } m)
            {
                _latest = new GcFigures(Number(m, 1), Number(m, 2), Number(m, 3), Number(m, 4), Number(m, 5));
            }
        }

        static long Number(Match m, int group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _ = Kill(_process.Id, 15);
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
        }

        await _reading;
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [GeneratedRegex(@"RSS (\d+) KiB .*GC heap (\d+) KiB, committed (\d+) KiB, fragmented \d+ KiB, allocated since start (\d+) KiB, collections (\d+)/")]
    private static partial Regex Report();

    [GeneratedRegex(@"GCRegionRange=(\d+)")]
    private static partial Regex RegionRange();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>One memory report of the node (KiB), and its gen0 collection count.</summary>
internal sealed record GcFigures(long RssKiB, long HeapKiB, long CommittedKiB, long AllocatedKiB, long Gen0Collections);
