using System.Text.Json;
using Node.Daemon.Tests.Discovery;
using Node.Testing.Network;

namespace Node.Daemon.Tests.Links;

/// <summary>
/// The peer link as two machines on a LAN meet it: two daemons in network namespaces joined by a
/// veth, found by each other through real mDNS multicast, trusted by id with nodectl, linked over
/// TLS on the port their manifests announce. Every namespace, process and file is removed when the
/// test ends, whatever happens.
/// </summary>
public sealed class PeerLinkNamespaceTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private static readonly string[] Args =
    [
        "--set", "Federation:Link:HeartbeatInterval=00:00:01",
        "--set", "Federation:Link:SuspectAfter=00:00:02.500",
        "--set", "Federation:Link:DownAfter=00:00:05",
        // The first side trusted dials before the other trusts it: asked again within a second, not five minutes.
        "--set", "Federation:Link:RefusedRetry=00:00:01",
    ];

    [Fact]
    public async Task Two_daemons_found_by_mdns_and_trusted_by_id_link_over_tls()
    {
        var started = TimeProvider.System.GetTimestamp();
        await using var lab = await NetworkLab.CreateAsync();
        var (linkA, linkB) = await lab.ConnectAsync(await lab.AddHostAsync(), await lab.AddHostAsync());
        await using var a = LabNode.Start(linkA.Host, "alpha", args: Args);
        await using var b = LabNode.Start(linkB.Host, "beta", args: Args);
        var ids = await Task.WhenAll(a.AnnouncingAsync(), b.AnnouncingAsync());
        await Task.WhenAll(a.LineAsync($"Peer {ids[1]} found by mDNS"), b.LineAsync($"Peer {ids[0]} found by mDNS"));

        var found = await WaitForAsync(a, ids[1], _ => true);
        Assert.Equal(("mdns", "unknown", "never"), (Str(found, "source"), Str(found, "tier"), State(found)));
        Assert.Contains(found.GetProperty("addresses").EnumerateArray(), x => x.GetString() == $"{linkB.IPv4}:8102");

        await a.NodeCtlJsonAsync("peers", "trust", ids[1], "external");
        await b.NodeCtlJsonAsync("peers", "trust", ids[0], "external");

        var atA = await WaitForAsync(a, ids[1], p => State(p) == "connected");
        var atB = await WaitForAsync(b, ids[0], p => State(p) == "connected");
        Log($"linked {TimeProvider.System.GetElapsedTime(started).TotalSeconds:F1} s after the lab was made ({LabNode.Kind})");
        Assert.Equal(["inbound", "outbound"], new[] { Direction(atA), Direction(atB) }.Order(StringComparer.Ordinal));
        Assert.Equal(("mdns", "mdns"), (Str(atA, "source"), Str(atB, "source")));

        // The dialler measures the round trip over the veth, and logged the link it set up.
        var (dialler, dialled) = Direction(atA) == "outbound" ? (a, ids[1]) : (b, ids[0]);
        var measured = await WaitForAsync(dialler, dialled, p => p.GetProperty("link").GetProperty("rttUs").GetInt64() > 0);
        Log($"round trip over the veth: {measured.GetProperty("link").GetProperty("rttUs").GetInt64()} µs");
        await dialler.LineAsync($"Peer link to {dialled} up");
        var shown = (await a.NodeCtlJsonAsync("peers", "show", ids[1])).GetProperty("manifest");
        var statusB = await b.NodeCtlJsonAsync("status");
        Assert.Equal((Str(statusB, "certificateSha256"), 8102, true),
            (Str(shown, "certificateSha256"), shown.GetProperty("peerPort").GetInt32(), shown.GetProperty("validNow").GetBoolean()));
    }

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";

    private static string State(JsonElement peer) => Str(peer.GetProperty("link"), "state");

    private static string Direction(JsonElement peer) => Str(peer.GetProperty("link"), "direction");

    // Polls `nodectl peers list --json` until the peer with this id is listed and satisfies the condition.
    private static async Task<JsonElement> WaitForAsync(LabNode node, string id, Func<JsonElement, bool> condition)
    {
        var since = TimeProvider.System.GetTimestamp();
        JsonElement? last = null;
        while (TimeProvider.System.GetElapsedTime(since) < Within)
        {
            var peers = (await node.NodeCtlJsonAsync("peers", "list")).GetProperty("peers").EnumerateArray();
            last = peers.Cast<JsonElement?>().FirstOrDefault(p => Str(p!.Value, "nodeId") == id);
            if (last is { } peer && condition(peer))
            {
                return peer;
            }

            await Task.Delay(150, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"{id} not as awaited within {Within}: {last?.GetRawText() ?? "not listed"}\nlog:\n{node.Process.Output}");
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
