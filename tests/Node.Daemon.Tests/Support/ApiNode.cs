using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Node.Cli;

namespace Node.Daemon.Tests.Support;

/// <summary>
/// A node running in the test process on a temporary state directory, with a gRPC channel to
/// its real Unix socket. Disposing stops the node and removes everything it made.
/// </summary>
public sealed class ApiNode : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly NotifyListener _notify;
    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _run;

    private ApiNode(TempDirectory dir, NotifyListener notify, CancellationTokenSource stop, Task<int> run)
    {
        _dir = dir;
        _notify = notify;
        _stop = stop;
        _run = run;
        Socket = dir.Combine(".node", "api.sock");
        Channel = ApiConnection.Open(Socket);
    }

    public string Directory => _dir.Path;

    public string DataDirectory => _dir.Combine(".node");

    public string Socket { get; }

    public GrpcChannel Channel { get; }

    public NotifyListener Notify => _notify;

    /// <summary>Starts a node and waits for READY=1 (the socket accepts calls by then).</summary>
    public static async Task<ApiNode> StartAsync(string[]? args = null, Action<IHostApplicationBuilder>? customize = null,
        Action<string>? prepare = null)
    {
        var dir = new TempDirectory();
        var notify = new NotifyListener(dir.Path);
        var stop = new CancellationTokenSource();
        try
        {
            prepare?.Invoke(dir.Path);
            var run = InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path }, args ?? [],
                customize, stoppingToken: stop.Token);
            var ready = notify.WaitForAsync("READY=1");
            if (await Task.WhenAny(ready, run) == run)
            {
                throw new InvalidOperationException($"The node exited with {await run} before it was ready.");
            }

            await ready;
            return new ApiNode(dir, notify, stop, run);
        }
        catch
        {
            await stop.CancelAsync();
            stop.Dispose();
            notify.Dispose();
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Stops the node; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        finally
        {
            _stop.Dispose();
            _notify.Dispose();
            _dir.Dispose();
        }
    }
}
