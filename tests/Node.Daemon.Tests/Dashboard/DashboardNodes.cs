namespace Node.Daemon.Tests.Dashboard;

/// <summary>
/// The nodes of the dashboard's process tests, per binary (JIT, AOT), started when a test first
/// asks: one with the defaults, and one whose login links last a millisecond (so a link is expired
/// by the time anyone opens it, with no waiting).
/// </summary>
public sealed class DashboardNodes : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(string, bool), DashboardNode> _nodes = [];

    public Task<DashboardNode> GetAsync(string kind) => GetAsync(kind, shortLinks: false);

    public Task<DashboardNode> WithExpiringLinksAsync(string kind) => GetAsync(kind, shortLinks: true);

    private async Task<DashboardNode> GetAsync(string kind, bool shortLinks)
    {
        Assert.SkipWhen(kind == "aot" && DaemonProcess.AotBinary() is null,
            "No native-AOT binary published: scripts/test.sh publishes one and sets SOVEREIGN_NODE_AOT_DIR.");
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!_nodes.TryGetValue((kind, shortLinks), out var node))
            {
                node = shortLinks
                    ? await DashboardNode.StartAsync(kind, "Dashboard:LoginLinkLifetime=00:00:00.001")
                    : await DashboardNode.StartAsync(kind);
                _nodes[(kind, shortLinks)] = node;
            }

            return node;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        _gate.Dispose();
    }
}
