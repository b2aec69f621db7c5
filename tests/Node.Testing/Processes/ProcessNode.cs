using System.Globalization;
using System.Text.Json;

namespace Node.Testing.Processes;

/// <summary>
/// A real <c>sovereign-node</c> process of one kind on a temporary directory, started and waited
/// for (READY=1), with nodectl of the same kind pointed at its socket. It can be killed, stopped,
/// continued and started again on the same directory. Disposing kills it and removes its files.
/// </summary>
public sealed class ProcessNode : IDisposable
{
    private readonly TempDirectory _dir;
    private readonly NotifyListener _notify;
    private readonly IReadOnlyList<string> _args;

    private ProcessNode(string kind, TempDirectory dir, NotifyListener notify, IReadOnlyList<string> args)
    {
        Kind = kind;
        _dir = dir;
        _notify = notify;
        _args = args;
    }

    /// <summary>"jit" or "aot".</summary>
    public string Kind { get; }

    /// <summary>The running process (the latest one, after a restart).</summary>
    public DaemonProcess Process { get; private set; } = null!;

    public string DataDirectory => _dir.Combine(".node");

    public string Socket => _dir.Combine(".node", "api.sock");

    public string Logs => _dir.Combine(".node", "logs");

    /// <summary>Starts a node of <paramref name="kind"/> with <paramref name="args"/> and waits until it is ready.</summary>
    public static async Task<ProcessNode> StartAsync(string kind, IReadOnlyList<string> args)
    {
        var dir = new TempDirectory();
        NotifyListener? notify = null;
        try
        {
            notify = new NotifyListener(dir.Path);
            var node = new ProcessNode(kind, dir, notify, args);
            await node.LaunchAsync(args);
            return node;
        }
        catch
        {
            notify?.Dispose();
            dir.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Ends the process if it still runs (SIGKILL, as a crash would) and starts the node again on the
    /// same directory with its arguments and <paramref name="extra"/> (a fixed port: <c>--peer-port N</c>).
    /// </summary>
    public async Task RestartAsync(params string[] extra)
    {
        Process.Dispose();
        await LaunchAsync([.. _args, .. extra]);
    }

    /// <summary>Runs nodectl with <paramref name="args"/> against this node.</summary>
    public Task<NodeCtlResult> RunAsync(params string[] args) => NodeCtlProcess.RunAsync(Kind, [.. args, "--socket", Socket]);

    /// <summary>Runs nodectl with <paramref name="args"/> and <c>--json</c>; it must succeed, and its output is one JSON value.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);
        Assert.True(result.Code == 0, $"nodectl {string.Join(' ', args)}: {result}");
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.Clone();
    }

    /// <summary>
    /// The first line of the node's output (every start so far) that contains <paramref name="text"/>,
    /// with the time it was logged; waits for it, polling, until <paramref name="timeout"/>.
    /// </summary>
    public async Task<(DateTimeOffset At, string Line)> LineAsync(string text, TimeSpan? timeout = null)
    {
        var until = TimeProvider.System.GetTimestamp();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (true)
        {
            var content = LogFiles.Read(Logs, "node-*.log");
            if (content.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                // "2026-12-07 17:55:03.192 +00:00 [INF] …"
                return (DateTimeOffset.ParseExact(line[..30], "yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture), line);
            }

            if (TimeProvider.System.GetElapsedTime(until) > limit)
            {
                throw new TimeoutException($"'{text}' was not logged within {limit}. Log:\n{content}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public void Dispose()
    {
        Process?.Dispose();
        _notify.Dispose();
        _dir.Dispose();
    }

    private async Task LaunchAsync(IReadOnlyList<string> args)
    {
        Process = DaemonProcess.Start(Kind, _dir.Path, args, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = _notify.Path });
        try
        {
            await _notify.WaitForAsync("READY=1", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nstdout:\n{Process.StandardOutput}\nstderr:\n{Process.StandardError}", ex);
        }
    }
}
