using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using ApiTrustTier = Node.Protocol.Api.TrustTier;

namespace Node.Daemon.Tests.Links;

/// <summary>
/// In-process nodes that link over loopback, for the link tests: started with heartbeats every
/// second (suspect at 2.5 s, down at 6 s, back-off at most 2 s, 1 s after a refusal) so a test takes
/// seconds, and the calls those tests make through the local API.
/// </summary>
internal static class LinkedNodes
{
    /// <summary>How long a wait for a link state may take.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>The link settings of a fast test node (a higher id's accept grace is then 2 s).</summary>
    public static readonly string[] FastLinks =
    [
        "--set", "Federation:Link:HeartbeatInterval=00:00:01", "--set", "Federation:Link:SuspectAfter=00:00:02.500",
        "--set", "Federation:Link:DownAfter=00:00:06", "--set", "Federation:Link:BackoffMax=00:00:02",
        "--set", "Federation:Link:RefusedRetry=00:00:01",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A node with fast links and its peer listener on <paramref name="port"/>.</summary>
    public static Task<ApiNode> StartAsync(int port) => ApiNode.StartAsync(["--peer-port", port.ToString(CultureInfo.InvariantCulture), .. FastLinks]);

    public static async Task<string> IdOf(ApiNode node) =>
        (await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Ct)).NodeId;

    /// <summary>Adds the static peer at 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task AddAsync(ApiNode node, int port) =>
        await new PeerService.PeerServiceClient(node.Channel).AddAsync(new AddPeerRequest { Address = $"127.0.0.1:{port}" }, cancellationToken: Ct);

    public static async Task TrustAsync(ApiNode node, string id, ApiTrustTier tier) =>
        await new PeerService.PeerServiceClient(node.Channel).SetTrustAsync(new SetTrustRequest { NodeId = id, Tier = tier, Reason = "test" }, cancellationToken: Ct);

    /// <summary>
    /// Makes <paramref name="a"/> and <paramref name="b"/> static peers of each other (by their peer
    /// ports) and waits until each has learnt the other's id from its manifest (tier unknown, no link yet).
    /// </summary>
    public static async Task<(string IdA, string IdB)> IntroduceAsync(ApiNode a, int portA, ApiNode b, int portB)
    {
        var (idA, idB) = (await IdOf(a), await IdOf(b));
        await AddAsync(a, portB);
        await AddAsync(b, portA);
        await WaitForAsync(a, peers => peers.Any(p => p.NodeId == idB));
        await WaitForAsync(b, peers => peers.Any(p => p.NodeId == idA));
        return (idA, idB);
    }

    public static PeerLink? Link(IEnumerable<Peer> peers, string id) => peers.FirstOrDefault(p => p.NodeId == id)?.Link;

    /// <summary>Lists <paramref name="node"/>'s peers until <paramref name="condition"/> holds; fails after <see cref="Within"/>, naming what it saw.</summary>
    public static async Task<IReadOnlyList<Peer>> WaitForAsync(ApiNode node, Func<IReadOnlyList<Peer>, bool> condition)
    {
        var client = new PeerService.PeerServiceClient(node.Channel);
        var started = TimeProvider.System.GetTimestamp();
        IReadOnlyList<Peer> peers = [];
        while (TimeProvider.System.GetElapsedTime(started) < Within)
        {
            peers = (await client.ListAsync(new ListPeersRequest(), cancellationToken: Ct)).Peers;
            if (condition(peers))
            {
                return peers;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Not within {Within}: {string.Join("; ", peers.Select(p => $"{p.NodeId} {p.Tier} {p.Link}"))}");
    }

    /// <summary>Loopback ports free a moment ago (bound, then closed): nothing listens there until a test's node does.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
