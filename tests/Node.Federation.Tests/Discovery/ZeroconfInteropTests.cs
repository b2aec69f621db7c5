using System.Net;
using System.Security.Cryptography;
using Node.Federation.Discovery;
using Node.Federation.Discovery.Dns;
using Node.Federation.Identity;
using Node.Testing.Network;

namespace Node.Federation.Tests.Discovery;

/// <summary>
/// Our discovery against a second real mDNS implementation, Debian's python3-zeroconf (0.47.3), each in
/// its own network namespace of a lab, joined by a veth (needs root, scripts/install-deps.sh). Every
/// namespace, process and socket is removed when a test ends, whatever happens.
/// </summary>
public sealed class ZeroconfInteropTests
{
    private static NodeId NewNodeId() => NodeId.FromPublicKey(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Our_node_finds_a_service_zeroconf_publishes_and_loses_it_at_zeroconfs_goodbye()
    {
        await ZeroconfPeer.EnsureInstalledAsync();
        await using var lab = await NetworkLab.CreateAsync();
        var (ours, theirs) = await lab.ConnectAsync(await lab.AddHostAsync(), await lab.AddHostAsync());
        await using var node = await NamespacedDiscovery.StartAsync(ours.Host, new ServiceProfile(NewNodeId(), 8102));
        var peerId = NewNodeId();

        await using var publish = await ZeroconfPeer.PublishAsync(theirs, "zc-peer", "zeroconf peer", 9000, [$"id={peerId}", "proto=1", "txtvers=1"]);

        var found = await node.WaitForAsync(c => c.Kind == DiscoveryChangeKind.Found && c.Service.InstanceLabel == "zeroconf peer");
        Assert.Equal(peerId, found.Service.NodeId);
        Assert.Equal(9000, found.Service.Port);
        Assert.Equal([theirs.IPv4], found.Service.Addresses);
        Assert.Equal("zc-peer.local", found.Service.Host.ToString());
        Assert.Equal("1", found.Service.Txt["proto"]);

        publish.CloseInput();
        await publish.WaitForLineAsync(l => l == "unregistered");
        var lost = await node.WaitForAsync(c => c.Kind == DiscoveryChangeKind.Lost && c.Service.InstanceLabel == "zeroconf peer");
        Assert.Equal(LossReason.Goodbye, lost.Reason);
        Assert.Equal(0, await publish.WaitForExitAsync());
    }

    [Fact]
    public async Task Zeroconf_browses_and_resolves_our_node_with_its_port_txt_and_address()
    {
        await ZeroconfPeer.EnsureInstalledAsync();
        await using var lab = await NetworkLab.CreateAsync();
        var (ours, theirs) = await lab.ConnectAsync(await lab.AddHostAsync(), await lab.AddHostAsync());
        var id = NewNodeId();
        var profile = new ServiceProfile(id, 8102, Name: "alpha");
        await using var node = await NamespacedDiscovery.StartAsync(ours.Host, profile);

        await using var browse = await ZeroconfPeer.BrowseAsync(theirs);

        var resolved = await ZeroconfPeer.WaitForServiceAsync(browse, id.ToString());
        Assert.Equal(8102, resolved.Port);
        Assert.Equal($"{profile.HostLabel()}.local.", resolved.Server);
        Assert.Equal([ours.IPv4.ToString()], resolved.Addresses);
        Assert.Equal(id.ToString(), resolved.Txt["id"]);
        Assert.Equal("1", resolved.Txt["proto"]);
        Assert.Equal("1", resolved.Txt["txtvers"]);
        Assert.Equal("alpha", resolved.Txt["name"]);
        Assert.Equal(0, node.Discovery.MalformedPackets);
    }

    [Fact]
    public async Task Zeroconfs_answer_with_an_NSEC_our_reader_leaves_out_still_yields_the_peer()
    {
        await ZeroconfPeer.EnsureInstalledAsync();
        await using var lab = await NetworkLab.CreateAsync();
        var (ours, theirs) = await lab.ConnectAsync(await lab.AddHostAsync(), await lab.AddHostAsync());
        var peerId = NewNodeId();
        // Published and announced before our node starts: it learns of the peer only from zeroconf's answers
        // to its queries, which carry an NSEC (the host has no AAAA) that zeroconf 0.47 writes malformed.
        await using var publish = await ZeroconfPeer.PublishAsync(theirs, "zc-nsec", "nsec peer", 9001, [$"id={peerId}", "proto=1"]);

        await using var node = await NamespacedDiscovery.StartAsync(ours.Host, profile: null);

        var found = await node.WaitForAsync(c => c.Kind == DiscoveryChangeKind.Found && c.Service.InstanceLabel == "nsec peer");
        Assert.Equal(peerId, found.Service.NodeId);
        Assert.Equal(9001, found.Service.Port);
        Assert.Equal([theirs.IPv4], found.Service.Addresses);

        // Every datagram from zeroconf that carried the peer's SRV also carried the NSEC, and only it was left out.
        var instance = ServiceProfile.ServiceType.Prepend("nsec peer");
        var carrying = node.Heard.Packets
            .Where(p => p.Source.Address.Equals(theirs.IPv4))
            .Select(p => DnsMessage.TryParse(p.Data, out var message, out _) ? message : null)
            .OfType<DnsMessage>()
            .Where(m => m.AllRecords().Any(r => r.Type == DnsRecordType.Srv && r.Name.Equals(instance)))
            .ToList();
        Assert.NotEmpty(carrying);
        Assert.All(carrying, m => Assert.Contains(m.Skipped, s => s.Contains("NSEC bitmap window 0", StringComparison.Ordinal)));
        Assert.All(carrying, m => Assert.Single(m.Skipped));
        Assert.True(node.Discovery.SkippedRecords >= carrying.Count);
        Assert.Equal(0, node.Discovery.MalformedPackets);
    }

    [Fact]
    public async Task Zeroconf_puts_together_our_known_answers_split_with_TC_and_answers_nothing_it_finds_there()
    {
        await ZeroconfPeer.EnsureInstalledAsync();
        await using var lab = await NetworkLab.CreateAsync();
        var (ours, theirs) = await lab.ConnectAsync(await lab.AddHostAsync(), await lab.AddHostAsync());
        const int Count = 100;
        await using var publish = await ZeroconfPeer.PublishManyAsync(theirs, "zc-many", "zeroconf service number", Count, 9100);
        await using var node = await NamespacedDiscovery.StartAsync(ours.Host, profile: null);
        for (var i = 1; i <= Count; i++)
        {
            await node.WaitForAsync(c => c.Kind == DiscoveryChangeKind.Found && c.Service.InstanceLabel == $"zeroconf service number {i}");
        }

        // Our next browse query lists the 100 pointers: more than one packet holds, so it goes as several with TC.
        var assembled = await ZeroconfPeer.WaitForQueryAsync(publish, q => q.Packets > 1);

        Assert.Equal([.. Enumerable.Repeat(true, assembled.Packets - 1), false], assembled.Truncated);
        Assert.Equal(Count, assembled.Known);
        Assert.Empty(assembled.Pointers); // every one of its services was in our list: nothing to answer
        var ourQuery = node.Heard.Packets.Where(p => p.Source.Address.Equals(ours.IPv4)) // our own multicast, looped back
            .Select(p => DnsMessage.TryParse(p.Data, out var message, out _) ? message : null).OfType<DnsMessage>()
            .Where(m => !m.IsResponse && m.IsTruncated).ToList();
        Assert.NotEmpty(ourQuery);
    }
}
