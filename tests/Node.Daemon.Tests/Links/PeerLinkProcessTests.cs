using System.Text.Json;

namespace Node.Daemon.Tests.Links;

/// <summary>
/// Three real daemons on loopback, told of each other by static address with nodectl only: they
/// learn each other's ids, link once trusted both ways, end a link when its listener drops the
/// dialler's tier, and follow a peer that is killed (SIGKILL, then started again on its directory
/// and port) or frozen (SIGSTOP, then SIGCONT). Heartbeats every second here (suspect at 2.5 s,
/// down at 5 s, the least the options allow) so the test takes seconds.
/// </summary>
public sealed class PeerLinkProcessTests
{
    private const int SIGKILL = 9;
    private const int SIGCONT = 18;
    private const int SIGSTOP = 19;

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(5);

    private static readonly string[] Args =
    [
        "--set", "Federation:Link:HeartbeatInterval=00:00:01",
        "--set", "Federation:Link:SuspectAfter=00:00:02.500",
        "--set", $"Federation:Link:DownAfter={DownAfter:c}",
        "--set", "Federation:Link:BackoffMax=00:00:02",
        // A peer that refused us (it had not trusted us yet) is asked again within a second, not five minutes.
        "--set", "Federation:Link:RefusedRetry=00:00:01",
    ];

    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Three_daemons_link_by_static_address_and_follow_a_dropped_tier_a_killed_peer_and_a_frozen_one(string kind)
    {
        var started = TimeProvider.System.GetTimestamp();
        using var nodes = await ProcessNodeSet.StartAsync(kind, 3, Args);
        var (a, b, c) = (nodes[0], nodes[1], nodes[2]);
        var (statusA, statusB, statusC) = (await a.JsonAsync("status"), await b.JsonAsync("status"), await c.JsonAsync("status"));
        var (idA, idB, idC) = (Id(statusA), Id(statusB), Id(statusC));
        var (portA, portB, portC) = (Port(statusA), Port(statusB), Port(statusC));

        await a.JsonAsync("peers", "add", $"127.0.0.1:{portB}");
        await a.JsonAsync("peers", "add", $"127.0.0.1:{portC}");
        await b.JsonAsync("peers", "add", $"127.0.0.1:{portA}");
        await c.JsonAsync("peers", "add", $"127.0.0.1:{portA}");

        // Ids learnt from the signed manifests; registered unknown, so no link.
        var learnt = await WaitForAsync(a, peers => peers.Count(p => Str(p, "nodeId").Length > 0) == 2);
        Assert.Equal(new[] { idB, idC }.Order(StringComparer.Ordinal), learnt.Select(p => Str(p, "nodeId")).Order(StringComparer.Ordinal));
        Assert.All(learnt, p => Assert.Equal("unknown", Str(p, "tier")));
        Assert.All(learnt, p => Assert.Equal("never", State(p)));
        Assert.All(learnt, p => Assert.Equal("static", Str(p, "source")));
        await WaitForAsync(b, peers => Peer(peers, idA) is not null);
        await WaitForAsync(c, peers => Peer(peers, idA) is not null);
        var shown = (await a.JsonAsync("peers", "show", idB)).GetProperty("manifest");
        Assert.Equal((Str(statusB, "certificateSha256"), portB, true),
            (Str(shown, "certificateSha256"), shown.GetProperty("peerPort").GetInt32(), shown.GetProperty("validNow").GetBoolean()));

        await a.JsonAsync("peers", "trust", idB, "external");
        await b.JsonAsync("peers", "trust", idA, "core");
        await a.JsonAsync("peers", "trust", idC, "external");
        await c.JsonAsync("peers", "trust", idA, "external");

        var linkedAB = await WaitForAsync(a, peers => Peer(peers, idB) is { } p && State(p) == "connected" && Peer(peers, idC) is { } q && State(q) == "connected");
        var linkedBA = await WaitForAsync(b, peers => Peer(peers, idA) is { } p && State(p) == "connected");
        var linkedCA = await WaitForAsync(c, peers => Peer(peers, idA) is { } p && State(p) == "connected");
        // One link per pair, dialled by one side (the lower id), inbound at the other.
        Assert.Equal(["inbound", "outbound"], new[] { Direction(Peer(linkedAB, idB)!.Value), Direction(Peer(linkedBA, idA)!.Value) }.Order(StringComparer.Ordinal));
        Assert.Equal(["inbound", "outbound"], new[] { Direction(Peer(linkedAB, idC)!.Value), Direction(Peer(linkedCA, idA)!.Value) }.Order(StringComparer.Ordinal));
        Assert.Null(Peer(await PeersAsync(b), idC)); // B and C were never told of each other

        // The dialler of a link measures its round trip (the other side only echoes).
        var (diallerAB, dialledAB) = Direction(Peer(linkedAB, idB)!.Value) == "outbound" ? (a, idB) : (b, idA);
        var measured = await WaitForAsync(diallerAB, peers => Peer(peers, dialledAB) is { } p && Link(p).GetProperty("rttUs").GetInt64() > 0);
        Log($"{kind}: round trip {Link(Peer(measured, dialledAB)!.Value).GetProperty("rttUs").GetInt64()} µs");
        Log($"{kind}: three nodes linked {TimeProvider.System.GetElapsedTime(started).TotalSeconds:F1} s after the first start");

        // The listener of the A–C link drops the dialler to unknown while its heartbeat stream is open.
        var aDialsC = Direction(Peer(linkedAB, idC)!.Value) == "outbound";
        var (listener, dialler, listenerId, diallerId) = aDialsC ? (c, a, idC, idA) : (a, c, idA, idC);
        await listener.JsonAsync("peers", "trust", diallerId, "unknown");
        var trustSet = TimeProvider.System.GetUtcNow();
        var (endedAt, _) = await listener.LineAsync($"Peer call Heartbeat of {diallerId} ended: its tier here is now unknown");
        var (heardAt, heard) = await dialler.LineAsync($"Peer {listenerId} refused the link: Heartbeat needs tier external; node {diallerId} is now 'unknown' here");
        Assert.True(endedAt - trustSet < TimeSpan.FromSeconds(1), $"the listener ended the heartbeat {(endedAt - trustSet).TotalMilliseconds:F0} ms after nodectl set the tier");
        Assert.True(heardAt - trustSet < TimeSpan.FromSeconds(1), $"the dialler heard of it {(heardAt - trustSet).TotalMilliseconds:F0} ms after nodectl set the tier: {heard}");
        var refused = await WaitForAsync(dialler, peers => Peer(peers, listenerId) is { } p && State(p) != "connected"
            && Str(Link(p), "problem").Contains("'unknown' here", StringComparison.Ordinal));
        Log($"{kind}: the dialler says: {Str(Link(Peer(refused, listenerId)!.Value), "problem")}");
        Assert.True(Refusals(await listener.JsonAsync("federation", "diagnose"), "tier_revoked") >= 1);

        // B is killed: A sees it suspect at once (the connection went), down after DownAfter of silence,
        // and connected again once B runs again on its directory and port.
        b.Process.Signal(SIGKILL);
        await WaitForAsync(a, peers => Peer(peers, idB) is { } p && State(p) == "suspect");
        var down = await WaitForAsync(a, peers => Peer(peers, idB) is { } p && State(p) == "down");
        var silent = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() - Link(Peer(down, idB)!.Value).GetProperty("lastHeartbeatAt").GetInt64();
        Assert.True(silent >= DownAfter.TotalMilliseconds, $"down after {silent} ms of silence");
        await b.RestartAsync("--peer-port", portB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await WaitForAsync(a, peers => Peer(peers, idB) is { } p && State(p) == "connected");
        await WaitForAsync(b, peers => Peer(peers, idA) is { } p && State(p) == "connected");

        // B is frozen: its connection stays open but no beat comes; suspect, then down; thawed, it is back.
        b.Process.Signal(SIGSTOP);
        try
        {
            await WaitForAsync(a, peers => Peer(peers, idB) is { } p && State(p) == "suspect");
            await WaitForAsync(a, peers => Peer(peers, idB) is { } p && State(p) == "down");
        }
        finally
        {
            b.Process.Signal(SIGCONT);
        }

        await WaitForAsync(a, peers => Peer(peers, idB) is { } p && State(p) == "connected");
        Log($"{kind}: whole run {TimeProvider.System.GetElapsedTime(started).TotalSeconds:F1} s");
    }

    private static string Id(JsonElement status) => Str(status, "nodeId");

    private static int Port(JsonElement status) => status.GetProperty("peerPort").GetInt32();

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";

    private static JsonElement Link(JsonElement peer) => peer.GetProperty("link");

    private static string State(JsonElement peer) => Str(Link(peer), "state");

    private static string Direction(JsonElement peer) => Str(Link(peer), "direction");

    private static JsonElement? Peer(IEnumerable<JsonElement> peers, string id) => peers.Cast<JsonElement?>().FirstOrDefault(p => Str(p!.Value, "nodeId") == id);

    private static long Refusals(JsonElement diagnosis, string reason) =>
        diagnosis.GetProperty("peerListener").GetProperty("refusals").TryGetProperty(reason, out var n) ? n.GetInt64() : 0;

    private static async Task<IReadOnlyList<JsonElement>> PeersAsync(ProcessNode node) =>
        [.. (await node.JsonAsync("peers", "list")).GetProperty("peers").EnumerateArray()];

    // Polls `nodectl peers list --json` until the peers satisfy the condition.
    private static async Task<IReadOnlyList<JsonElement>> WaitForAsync(ProcessNode node, Func<IReadOnlyList<JsonElement>, bool> condition)
    {
        var since = TimeProvider.System.GetTimestamp();
        IReadOnlyList<JsonElement> peers = [];
        while (TimeProvider.System.GetElapsedTime(since) < Within)
        {
            peers = await PeersAsync(node);
            if (condition(peers))
            {
                return peers;
            }

            await Task.Delay(150, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Not within {Within}: {string.Join("; ", peers.Select(p => p.GetRawText()))}\nlog:\n{LogFiles.Read(node.Logs, "node-*.log")}");
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
