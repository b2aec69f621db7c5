using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Node.Benchmarks;

/// <summary>
/// Time from exec of the native-AOT <c>sovereign-node</c> to its <c>READY=1</c> on a real
/// notify socket, as systemd would see it: a fresh state directory each start. The binary is
/// <c>$SOVEREIGN_NODE_BIN</c>, or <c>artifacts/aot/sovereign-node</c> from scripts/publish-aot.sh;
/// with <c>$SOVEREIGN_NODE_BASELINE_BIN</c> set, that binary is measured too, in the same run
/// (<see cref="Build"/>). With <see cref="ColdPageCache"/> the kernel's page cache is dropped
/// before each start (root only; <c>SOVEREIGN_NODE_BENCH_COLD=0</c> leaves those cases out), so
/// the binary and its libraries come from disk, as on a machine's first boot.
/// </summary>
[Config(typeof(Config))]
public partial class StartupBenchmarks
{
    private string _binary = "";
    private string _dir = "";
    private Socket? _notify;
    private Process? _daemon;
    private readonly byte[] _buffer = new byte[4096];

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithStrategy(RunStrategy.Monitoring)
                .WithWarmupCount(3)
                .WithIterationCount(40)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);
        }
    }

    /// <summary>Drop the page cache before each start (needs root).</summary>
    [ParamsSource(nameof(PageCaches))]
    public bool ColdPageCache { get; set; }

    /// <summary>The binary started: <c>this</c> one, or the <c>baseline</c> (<c>$SOVEREIGN_NODE_BASELINE_BIN</c>).</summary>
    [ParamsSource(nameof(Builds))]
    public string Build { get; set; } = "this";

    public static IEnumerable<bool> PageCaches() =>
        Environment.GetEnvironmentVariable("SOVEREIGN_NODE_BENCH_COLD") == "0" ? [false] : [false, true];

    public static IEnumerable<string> Builds() =>
        Environment.GetEnvironmentVariable("SOVEREIGN_NODE_BASELINE_BIN") is { Length: > 0 } ? ["baseline", "this"] : ["this"];

    /// <summary>A first start (the store is created) or a restart (the store exists and is checked).</summary>
    [Params(true, false)]
    public bool FirstStart { get; set; }

    private string _existing = "";

    [GlobalSetup]
    public void FindBinary()
    {
        _binary = Build == "baseline" ? Environment.GetEnvironmentVariable("SOVEREIGN_NODE_BASELINE_BIN")! : AotBinary.Find();

        // A store to restart on: made by one real start and stop.
        _existing = Directory.CreateTempSubdirectory("sovereign-bench-existing-").FullName;
        Prepare();
        Launch(Path.Combine(_existing, "state"));
        Stop();
    }

    [GlobalCleanup]
    public void RemoveExisting() => Directory.Delete(_existing, recursive: true);

    [IterationSetup]
    public void Prepare()
    {
        _dir = Directory.CreateTempSubdirectory("sovereign-bench-").FullName;
        _notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _notify.Bind(new UnixDomainSocketEndPoint(Path.Combine(_dir, "notify.sock")));
        _notify.ReceiveTimeout = 10_000;
        if (ColdPageCache)
        {
            using var sync = Process.Start("sync")!;
            sync.WaitForExit();

            try
            {
                File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw new InvalidOperationException("ColdPageCache=true needs root to write /proc/sys/vm/drop_caches; filter it out otherwise.", ex);
            }
        }
    }

    [Benchmark(Description = "exec to READY=1")]
    public void StartToReady() => Launch(FirstStart ? Path.Combine(_dir, "state") : Path.Combine(_existing, "state"));

    private void Launch(string dataDirectory)
    {
        var start = new ProcessStartInfo(_binary)
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(dataDirectory);
        start.Environment["NOTIFY_SOCKET"] = Path.Combine(_dir, "notify.sock");
        _daemon = Process.Start(start)!;
        _daemon.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        while (true)
        {
            var n = _notify!.Receive(_buffer);
            if (Encoding.UTF8.GetString(_buffer, 0, n).Split('\n').Contains("READY=1"))
            {
                return;
            }
        }
    }

    [IterationCleanup]
    public void Stop()
    {
        if (_daemon is { HasExited: false })
        {
            _ = Kill(_daemon.Id, 15);
            if (!_daemon.WaitForExit(10_000) || _daemon.ExitCode != 0)
            {
                throw new InvalidOperationException("sovereign-node did not stop cleanly on SIGTERM.");
            }
        }

        _daemon?.Dispose();
        _notify?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
