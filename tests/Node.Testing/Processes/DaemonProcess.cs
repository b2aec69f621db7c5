using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Node.Testing.Processes;

/// <summary>
/// A real <c>sovereign-node</c> process: the build next to the tests, or the native-AOT binary
/// when <c>SOVEREIGN_NODE_AOT_DIR</c> names a published one. Killed on dispose if still running.
/// </summary>
public sealed partial class DaemonProcess : IDisposable
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private DaemonProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>
    /// The environment every test node gets unless the test says otherwise: mDNS discovery off, so test
    /// nodes neither use the machine's port 5353 nor find one another (a test turns it on with
    /// <c>--set Federation:Discovery:Enabled=true</c> and an in-memory link), and the peer listener on
    /// a free port (<c>--peer-port N</c> overrides it).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Quiet { get; } = new Dictionary<string, string>
    {
        // Cased as the keys are, so a reload's list of changes names Federation:…, not FEDERATION:….
        ["SOVEREIGN_NODE__Federation__Discovery__Enabled"] = "false",
        // A free port for each node's peer listener: tests run side by side, and 8102 may be anyone's.
        ["SOVEREIGN_NODE__Federation__PeerPort"] = "0",
    };

    /// <summary>The binaries under test: the JIT build, and the AOT binary (skipped, with the reason, when none was published).</summary>
    public static TheoryData<string> Kinds() => new() { "jit", "aot" };

    public static string? AotBinary() =>
        Environment.GetEnvironmentVariable("SOVEREIGN_NODE_AOT_DIR") is { Length: > 0 } dir && File.Exists(System.IO.Path.Combine(dir, "sovereign-node"))
            ? System.IO.Path.Combine(dir, "sovereign-node")
            : null;

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the daemon of <paramref name="kind"/> in <paramref name="workingDirectory"/>.</summary>
    public static DaemonProcess Start(string kind, string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = NewStartInfo(workingDirectory);
        AddCommand(start, kind);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Start(start, environment);
    }

    /// <summary>
    /// Starts the daemon through <c>sh -c <paramref name="script"/></c>, the daemon's command
    /// line being <c>"$@"</c> (so the script can set up what systemd would, then exec it).
    /// </summary>
    public static DaemonProcess StartUnderShell(string kind, string workingDirectory, string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        var daemon = NewStartInfo(workingDirectory);
        AddCommand(daemon, kind);
        var start = NewStartInfo(workingDirectory);
        start.FileName = "/bin/sh";
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(daemon.FileName);
        foreach (var arg in daemon.ArgumentList)
        {
            start.ArgumentList.Add(arg);
        }

        return Start(start, environment);
    }

    private static ProcessStartInfo NewStartInfo(string workingDirectory) => new()
    {
        WorkingDirectory = workingDirectory,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        RedirectStandardInput = true,
        UseShellExecute = false,
    };

    private static void AddCommand(ProcessStartInfo start, string kind)
    {
        if (kind == "aot")
        {
            Assert.SkipWhen(AotBinary() is null, "No native-AOT binary published: scripts/test.sh publishes one and sets SOVEREIGN_NODE_AOT_DIR.");
            start.FileName = AotBinary()!;
        }
        else
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "sovereign-node.dll"));
        }
    }

    private static DaemonProcess Start(ProcessStartInfo start, IReadOnlyDictionary<string, string>? environment)
    {
        // The child sees only what the test gives it of systemd's variables.
        foreach (var name in (string[])["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "INVOCATION_ID",
                     "STATE_DIRECTORY", "LOGS_DIRECTORY", "RUNTIME_DIRECTORY", "CONFIGURATION_DIRECTORY"])
        {
            start.Environment.Remove(name);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("SOVEREIGN_NODE__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        // An empty value unsets the variable, one of Quiet's included (a test of the config file's own value).
        foreach (var (name, value) in Quiet.Concat(environment ?? new Dictionary<string, string>()))
        {
            if (value.Length == 0)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new DaemonProcess(Process.Start(start) ?? throw new InvalidOperationException("The daemon did not start."));
    }

    /// <summary>Runs the daemon to its end, for commands that exit by themselves (help, errors).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToEndAsync(string kind, string workingDirectory, params string[] args)
    {
        using var daemon = Start(kind, workingDirectory, args);
        var code = await daemon.WaitForExitAsync();
        return (code, daemon.StandardOutput, daemon.StandardError);
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Waits for the process to end; fails the test if it does not within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"sovereign-node (pid {_process.Id}) did not exit in time.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }

        _process.WaitForExit(); // drain the redirected streams
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (to)
        {
            to.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
