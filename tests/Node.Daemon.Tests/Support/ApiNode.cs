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
    private readonly string[] _args;
    private readonly Action<IHostApplicationBuilder>? _customize;
    private bool _handedOver;

    private ApiNode(TempDirectory dir, NotifyListener notify, CancellationTokenSource stop, Task<int> run, string[] args,
        Action<IHostApplicationBuilder>? customize)
    {
        _dir = dir;
        _args = args;
        _customize = customize;
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
    public static Task<ApiNode> StartAsync(string[]? args = null, Action<IHostApplicationBuilder>? customize = null,
        Action<string>? prepare = null) =>
        StartOnAsync(new TempDirectory(), args ?? [], customize, prepare);

    /// <summary>Starts a node on <paramref name="dir"/>, which it owns from here (removed on dispose, or if it never becomes ready).</summary>
    public static Task<ApiNode> StartAsync(TempDirectory dir, string[]? args = null) => StartOnAsync(dir, args ?? [], customize: null, prepare: null);

    /// <summary>
    /// Stops this node, lets <paramref name="prepare"/> change its directory (the store is closed
    /// then, so it may be written directly), and starts a node again on the same directory. The
    /// new node owns the directory; this one is left stopped, with nothing more to clean up.
    /// </summary>
    public async Task<ApiNode> RestartAsync(Func<string, Task>? prepare = null)
    {
        Channel.Dispose();
        await StopAsync();
        _notify.Dispose();
        _handedOver = true;
        if (prepare is not null)
        {
            try
            {
                await prepare(_dir.Path);
            }
            catch
            {
                _dir.Dispose();
                throw;
            }
        }

        return await StartOnAsync(_dir, _args, _customize, prepare: null);
    }

    // Owns dir from here: removed if the node does not become ready.
    private static async Task<ApiNode> StartOnAsync(TempDirectory dir, string[] args, Action<IHostApplicationBuilder>? customize,
        Action<string>? prepare)
    {
        var notify = new NotifyListener(dir.Path);
        var stop = new CancellationTokenSource();
        try
        {
            prepare?.Invoke(dir.Path);
            var run = InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path }, args,
                customize, stoppingToken: stop.Token);
            var ready = notify.WaitForAsync("READY=1");
            if (await Task.WhenAny(ready, run) == run)
            {
                throw new InvalidOperationException($"The node exited with {await run} before it was ready.");
            }

            await ready;
            return new ApiNode(dir, notify, stop, run, args, customize);
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
        if (_handedOver)
        {
            _stop.Dispose();
            return;
        }

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
