using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests.ApiAccess;

/// <summary>
/// One node per binary (JIT, AOT) with the TCP listener on, a rate limit of 1 call per second and
/// bursts of 5, shared by the tests of a class; started when a test first asks for it.
/// </summary>
public sealed class TcpDaemons : IAsyncDisposable
{
    public const int PermitsPerSecond = 1;
    public const int Burst = 5;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, TcpDaemon> _daemons = [];

    public async Task<TcpDaemon> GetAsync(string kind)
    {
        Assert.SkipWhen(kind == "aot" && DaemonProcess.AotBinary() is null,
            "No native-AOT binary published: scripts/test.sh publishes one and sets SOVEREIGN_NODE_AOT_DIR.");
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!_daemons.TryGetValue(kind, out var daemon))
            {
                daemon = await TcpDaemon.StartAsync(kind, "Node:Name=tcp-test", "Api:Tcp:Enabled=true", "Api:Tcp:Port=0",
                    $"Api:Tcp:RateLimit:PermitsPerSecond={PermitsPerSecond}", $"Api:Tcp:RateLimit:Burst={Burst}");
                _daemons[kind] = daemon;
            }

            return daemon;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in _daemons.Values)
        {
            await daemon.DisposeAsync();
        }

        _gate.Dispose();
    }
}
