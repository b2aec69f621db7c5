using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Storage;
using Node.Testing.Network;

namespace Node.Daemon.Tests.Discovery;

/// <summary>
/// Discovery for real: daemons in network namespaces joined by veths, Avahi beside them, and a
/// query flood. Every namespace, process and file is removed when the test ends, whatever happens.
/// </summary>
/// <remarks>Its tests run one after another (one class is one xUnit collection): each starts daemons and floods a link.</remarks>
public sealed class DiscoveryNamespaceTests
{
    private static readonly TimeSpan Goal = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Two_daemons_on_a_veth_find_each_other_within_two_seconds_and_a_stopped_one_is_gone_within_two()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (linkA, linkB) = await lab.ConnectAsync(await lab.AddHostAsync(), await lab.AddHostAsync());
        await using var a = LabNode.Start(linkA.Host, "alpha");
        await using var b = LabNode.Start(linkB.Host, "beta");

        var ids = await Task.WhenAll(a.AnnouncingAsync(), b.AnnouncingAsync());
        var started = Stopwatch.StartNew(); // both are probing now
        await Task.WhenAll(a.LineAsync($"Peer {ids[1]} found by mDNS"), b.LineAsync($"Peer {ids[0]} found by mDNS"));
        var found = started.Elapsed;
        Log($"listed each other {found.TotalMilliseconds:F0} ms after both started probing");

        Assert.True(found <= Goal, $"the two nodes took {found.TotalMilliseconds:F0} ms to list each other");
        var peers = (await a.NodeCtlJsonAsync("peers", "list")).GetProperty("peers").EnumerateArray().ToList();
        var beta = Assert.Single(peers, p => p.GetProperty("nodeId").GetString() == ids[1]);
        Assert.Equal("mdns", beta.GetProperty("source").GetString());
        Assert.Equal("beta", beta.GetProperty("name").GetString()); // from its TXT
        Assert.Equal("unknown", beta.GetProperty("tier").GetString());
        Assert.Contains(beta.GetProperty("addresses").EnumerateArray(), x => x.GetString() == $"{linkB.IPv4}:8102");

        var diagnosis = await a.NodeCtlJsonAsync("federation", "diagnose");
        var link = Assert.Single(diagnosis.GetProperty("links").EnumerateArray(), i => i.GetProperty("name").GetString() == linkA.Name);
        Assert.True(link.GetProperty("joinedIpv4").GetBoolean());
        Assert.True(link.GetProperty("joinedIpv6").GetBoolean());
        Assert.True(link.GetProperty("packetsReceived").GetInt64() > 0);
        Assert.Contains(link.GetProperty("state").GetString(), (string[])["announcing", "announced"]); // the second announcement may still be due

        var stopping = Stopwatch.StartNew();
        b.Terminate();
        await a.LineAsync($"Peer {ids[1]} lost");
        Log($"the stopped node was gone {stopping.Elapsed.TotalMilliseconds:F0} ms after SIGTERM");
        Assert.True(stopping.Elapsed <= Goal, $"the stopped node was listed for {stopping.Elapsed.TotalMilliseconds:F0} ms after SIGTERM");
        Assert.Equal(0, await b.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task Two_daemons_sharing_one_identity_end_with_one_holding_the_name_and_the_other_renamed()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (linkA, linkB) = await lab.ConnectAsync(await lab.AddHostAsync(), await lab.AddHostAsync());
        await using var a = LabNode.Start(linkA.Host, "original");
        var id = await a.AnnouncingAsync();
        await a.LineAsync("mDNS announced");

        // A copied USB image whose identity was copied with it (and a store: a node with an identity has one).
        await using var b = LabNode.Start(linkB.Host, "clone", dir =>
        {
            File.Copy(Path.Combine(a.DataDirectory, "identity.key"), Path.Combine(dir, "identity.key"));
            File.SetUnixFileMode(Path.Combine(dir, "identity.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            NodeStore.Open(dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance).DisposeAsync().AsTask().GetAwaiter().GetResult();
        });
        Assert.Equal(id, await b.AnnouncingAsync());
        await b.LineAsync("mDNS name conflict");
        await b.LineAsync($"mDNS announced {id} (2)");

        var held = await a.NodeCtlJsonAsync("federation", "diagnose");
        var renamed = await b.NodeCtlJsonAsync("federation", "diagnose");
        Assert.Equal($"{id}._sovereign._tcp.local", held.GetProperty("instanceName").GetString());
        Assert.Equal($"{id} (2)._sovereign._tcp.local", renamed.GetProperty("instanceName").GetString());
        Assert.False(a.Printed("mDNS name conflict"), "the holder keeps its name");
        Assert.False(a.Printed($"Peer {id} found"), "a node with our own id is not a peer");
    }

    [Fact]
    public async Task Avahi_resolves_our_node_with_its_txt_and_our_browser_finds_a_service_avahi_publishes()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (linkA, linkB) = await lab.ConnectAsync(await lab.AddHostAsync(), await lab.AddHostAsync());
        await using var node = LabNode.Start(linkA.Host, "alpha");
        var id = await node.AnnouncingAsync();
        await node.LineAsync("mDNS announced");
        await using var avahi = await AvahiDaemon.StartAsync(linkB);

        // A lasting browse first: Avahi has just started, and a one-shot browse (-t) may end at "all for
        // now" before our answer to its first query is in. Then avahi-browse -rpt _sovereign._tcp, from its cache.
        await using (var browsing = avahi.StartBrowsing())
        {
            await browsing.WaitForLineAsync(l => AvahiService.TryParse(l) is { Protocol: "IPv4" } s && s.Name == id);
        }

        var ours = (await avahi.BrowseOnceAsync()).Where(s => s.Name == id).ToList();
        var v4 = Assert.Single(ours, s => s.Protocol == "IPv4");
        Assert.Equal(8102, v4.Port);
        Assert.Equal(linkA.IPv4.ToString(), v4.Address);
        Assert.Contains($"id={id}", v4.Txt);
        Assert.Contains("proto=1", v4.Txt);
        Assert.Contains("txtvers=1", v4.Txt);
        Assert.EndsWith(".local", v4.HostName, StringComparison.Ordinal);

        // avahi-publish -s … _sovereign._tcp
        var peerId = Node.Federation.Identity.NodeId.FromPublicKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToString();
        await using var published = await avahi.PublishAsync("avahi peer", 9000, [$"id={peerId}", "proto=1"]);
        await node.LineAsync($"Peer {peerId} found by mDNS");
        // Avahi answers over IPv4 and IPv6: the first line may name only the IPv6 address, the IPv4 one
        // following as a change.
        await node.Process.WaitForLineAsync(l => l.Contains($"Peer {peerId} ", StringComparison.Ordinal)
            && l.Contains($"{linkB.IPv4}:9000", StringComparison.Ordinal));
        var peers = (await node.NodeCtlJsonAsync("peers", "list")).GetProperty("peers").EnumerateArray();
        Assert.Contains(peers, p => p.GetProperty("nodeId").GetString() == peerId && p.GetProperty("source").GetString() == "mdns");

        // Avahi withdraws the service: its goodbye reaches us.
        await published.DisposeAsync();
        await node.LineAsync($"Peer {peerId} lost");
    }

    [Fact]
    public async Task A_flood_of_ten_thousand_queries_a_second_stays_within_the_rate_limits_and_the_real_query_is_answered()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var segment = await lab.AddSegmentAsync();
        var nodeLink = await lab.ConnectAsync(await lab.AddHostAsync(), segment);
        var flooderLink = await lab.ConnectAsync(await lab.AddHostAsync(), segment);
        var querierLink = await lab.ConnectAsync(await lab.AddHostAsync(), segment);
        await using var node = LabNode.Start(nodeLink.Host, "target");
        var id = await node.AnnouncingAsync();
        await node.LineAsync("mDNS announced");

        var script = Path.Combine(AppContext.BaseDirectory, "Discovery", "mdns_flood.py");
        await using var flood = lab.Start(flooderLink.Host.Namespace,
            ["/usr/bin/python3", script, "flood", flooderLink.Name, nodeLink.IPv4.ToString(), "10000", "5"]);
        await flood.WaitForLineAsync(l => l.StartsWith("flooding", StringComparison.Ordinal));
        await using var querier = lab.Start(querierLink.Host.Namespace,
            ["/usr/bin/python3", script, "query", querierLink.Name, nodeLink.IPv4.ToString(), id]);
        var answered = await querier.WaitForLineAsync(l => l.StartsWith("answered", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal(0, await querier.WaitForExitAsync());

        var reportLine = await flood.WaitForLineAsync(l => l.StartsWith('{'), TimeSpan.FromSeconds(60));
        Log($"real query {answered}; flood {reportLine}");
        var report = JsonDocument.Parse(reportLine).RootElement;
        Assert.Equal(0, await flood.WaitForExitAsync());
        var sent = report.GetProperty("sent").GetInt32();
        var seconds = report.GetProperty("seconds").GetDouble();
        Assert.True(sent / seconds >= 8000, $"the flood reached only {sent / seconds:F0} queries/s");
        // One multicast of a record per second (a few answers in flight at the start and end aside),
        // and at most 20 unicast replies a second to one source.
        Assert.InRange(report.GetProperty("multicast_answers").GetInt32(), 1, (int)seconds + 3);
        Assert.InRange(report.GetProperty("unicast_answers").GetInt32(), (int)(20 * (seconds - 1)), (int)(20 * (seconds + 1)));
        Assert.Contains("ms", answered, StringComparison.Ordinal);
        Assert.True((await node.NodeCtlJsonAsync("federation", "diagnose")).GetProperty("links").GetArrayLength() > 0, "the node still answers its API");
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
