using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Node.Federation.Discovery;
using Node.Testing.Network;

namespace Node.Federation.Tests.Discovery;

/// <summary>The real mDNS link, between hosts in network namespaces joined by veths (needs root).</summary>
public sealed class UdpMdnsTransportTests
{
    [Fact]
    public async Task A_multicast_over_IPv4_and_IPv6_arrives_at_the_other_host_with_its_interface_and_source()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (a, b) = await ConnectTwoHostsAsync(lab);
        await using var sender = await NamespacedTransport.StartAsync(a.Host);
        await using var receiver = await NamespacedTransport.StartAsync(b.Host);
        var payload = Encoding.ASCII.GetBytes("announcement from a");

        sender.Transport.SendMulticast(sender.IndexOf(a.Name), payload);

        var v4 = await receiver.Sink.WaitForPacketAsync(p => p.Source.Address.Equals(a.IPv4));
        Assert.Equal(payload, v4.Data);
        Assert.Equal(5353, v4.Source.Port);
        Assert.Equal(receiver.IndexOf(b.Name), v4.InterfaceIndex);

        var v6 = await receiver.Sink.WaitForPacketAsync(p => p.Source.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        Assert.Equal(payload, v6.Data);
        Assert.Equal(a.IPv6LinkLocal.GetAddressBytes(), v6.Source.Address.GetAddressBytes());
        Assert.Equal(receiver.IndexOf(b.Name), v6.Source.Address.ScopeId);
        Assert.Equal(5353, v6.Source.Port);
        Assert.Equal(receiver.IndexOf(b.Name), v6.InterfaceIndex);
    }

    [Fact]
    public async Task A_unicast_reply_reaches_the_querier_over_IPv4_and_IPv6()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (a, b) = await ConnectTwoHostsAsync(lab);
        await using var querier = await NamespacedTransport.StartAsync(a.Host);
        await using var responder = await NamespacedTransport.StartAsync(b.Host);
        var index = responder.IndexOf(b.Name);

        responder.Transport.SendUnicast(index, new IPEndPoint(a.IPv4, 5353), Encoding.ASCII.GetBytes("v4 reply"));
        // No scope id: the transport scopes a link-local destination to the interface.
        responder.Transport.SendUnicast(index, new IPEndPoint(a.IPv6LinkLocal, 5353), Encoding.ASCII.GetBytes("v6 reply"));

        var v4 = await querier.Sink.WaitForPacketAsync(p => Encoding.ASCII.GetString(p.Data) == "v4 reply");
        Assert.Equal(new IPEndPoint(b.IPv4, 5353), v4.Source);
        Assert.Equal(querier.IndexOf(a.Name), v4.InterfaceIndex);
        var v6 = await querier.Sink.WaitForPacketAsync(p => Encoding.ASCII.GetString(p.Data) == "v6 reply");
        Assert.Equal(b.IPv6LinkLocal.GetAddressBytes(), v6.Source.Address.GetAddressBytes());
        Assert.Equal(querier.IndexOf(a.Name), v6.InterfaceIndex);
    }

    [Fact]
    public async Task Statistics_count_the_joins_and_the_datagrams_of_each_interface()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (a, b) = await ConnectTwoHostsAsync(lab);
        await using var sender = await NamespacedTransport.StartAsync(a.Host);
        await using var receiver = await NamespacedTransport.StartAsync(b.Host);

        sender.Transport.SendMulticast(sender.IndexOf(a.Name), "one"u8);
        await receiver.Sink.WaitForPacketAsync(p => p.Source.Address.Equals(a.IPv4));
        await receiver.Sink.WaitForPacketAsync(p => p.Source.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);

        var sent = Assert.Single(sender.Transport.Statistics());
        Assert.Equal(new MdnsLinkStatistics(sender.IndexOf(a.Name), a.Name, JoinedIPv4: true, JoinedIPv6: true,
            PacketsSent: 2, PacketsReceived: sent.PacketsReceived, SendErrors: 0, LastError: null), sent);
        var received = Assert.Single(receiver.Transport.Statistics());
        Assert.Equal(new MdnsLinkStatistics(receiver.IndexOf(b.Name), b.Name, JoinedIPv4: true, JoinedIPv6: true,
            PacketsSent: 0, PacketsReceived: 2, SendErrors: 0, LastError: null), received);
    }

    [Fact]
    public async Task A_send_that_fails_is_counted_not_thrown()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (a, _) = await ConnectTwoHostsAsync(lab);
        await using var transport = await NamespacedTransport.StartAsync(a.Host);
        var index = transport.IndexOf(a.Name);

        // No route leaves the namespace: the kernel refuses at once.
        transport.Transport.SendUnicast(index, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5353), "lost"u8);
        transport.Transport.SendUnicast(index, new IPEndPoint(IPAddress.Parse("192.0.2.2"), 5353), "lost"u8);

        var statistics = Assert.Single(transport.Transport.Statistics());
        Assert.Equal(2, statistics.SendErrors);
        Assert.Equal(0, statistics.PacketsSent);
        Assert.Contains("NetworkUnreachable", statistics.LastError, StringComparison.Ordinal);
        Assert.Single(transport.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Debug);

        // A send that goes through again ends the problem; the count stays.
        transport.Transport.SendMulticast(index, "back"u8);
        var recovered = Assert.Single(transport.Transport.Statistics());
        Assert.Equal(2, recovered.SendErrors);
        Assert.True(recovered.PacketsSent > 0);
        Assert.Null(recovered.LastError);
    }

    [Fact]
    public async Task The_allow_list_leaves_the_other_interfaces_out()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (a, _) = await ConnectTwoHostsAsync(lab);
        var c = await lab.AddHostAsync();
        var (a2, _) = await lab.ConnectAsync(a.Host, c);

        await using var transport = await NamespacedTransport.StartAsync(a.Host, interfaces: [a2.Name]);

        Assert.Equal([a2.Name], transport.Transport.Interfaces.Select(i => i.Name));
        Assert.Equal([a2.Name], transport.Transport.Statistics().Select(s => s.Name));
        Assert.DoesNotContain("224.0.0.251", await GroupsAsync(a.Host, a.Name));
        Assert.DoesNotContain("ff02::fb", await GroupsAsync(a.Host, a.Name));
        Assert.Contains("224.0.0.251", await GroupsAsync(a.Host, a2.Name));
        Assert.Contains("ff02::fb", await GroupsAsync(a.Host, a2.Name));
    }

    [Fact]
    public async Task Dispose_leaves_the_groups_and_closes_the_sockets()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (a, _) = await ConnectTwoHostsAsync(lab);
        var transport = await NamespacedTransport.StartAsync(a.Host);
        Assert.NotEmpty(await UdpSocketsOnPort5353Async(a.Host));
        Assert.Contains("224.0.0.251", await GroupsAsync(a.Host, a.Name));

        await transport.DisposeAsync();
        transport.Transport.Dispose();

        Assert.Empty(await UdpSocketsOnPort5353Async(a.Host));
        Assert.DoesNotContain("224.0.0.251", await GroupsAsync(a.Host, a.Name));
        Assert.DoesNotContain("ff02::fb", await GroupsAsync(a.Host, a.Name));
        Assert.Empty(transport.Transport.Interfaces);
        transport.Transport.SendMulticast(1, "after dispose"u8);
    }

    [Fact]
    public async Task A_sink_that_throws_does_not_stop_the_receive_loop()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (a, b) = await ConnectTwoHostsAsync(lab);
        var sink = new RecordingSink { ThrowOn = p => Encoding.ASCII.GetString(p.Data) == "first" };
        await using var sender = await NamespacedTransport.StartAsync(a.Host);
        await using var receiver = await NamespacedTransport.StartAsync(b.Host, sink: sink);

        sender.Transport.SendUnicast(sender.IndexOf(a.Name), new IPEndPoint(b.IPv4, 5353), "first"u8);
        await sink.WaitForPacketAsync(p => Encoding.ASCII.GetString(p.Data) == "first");
        sender.Transport.SendUnicast(sender.IndexOf(a.Name), new IPEndPoint(b.IPv4, 5353), "second"u8);

        await sink.WaitForPacketAsync(p => Encoding.ASCII.GetString(p.Data) == "second");
        Assert.Contains(receiver.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task A_rescan_joins_a_new_interface_reports_the_set_and_logs_the_join()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (a, _) = await ConnectTwoHostsAsync(lab);
        await using var transport = await NamespacedTransport.StartAsync(a.Host);
        await transport.Sink.WaitForInterfacesAsync(set => set.Count == 1);
        var c = await lab.AddHostAsync();
        var (a2, _) = await lab.ConnectAsync(a.Host, c);

        await transport.RescanAsync();

        var set = await transport.Sink.WaitForInterfacesAsync(set => set.Count == 2);
        Assert.Equal([a.Name, a2.Name], set.Select(i => i.Name));
        Assert.Contains(IPAddress.Parse(a2.IPv4.ToString()), set[1].Addresses);
        Assert.Contains(transport.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information
            && r.Message == $"mDNS joined 224.0.0.251 and ff02::fb on {a2.Name} (index {transport.IndexOf(a2.Name)})");
        Assert.Contains("224.0.0.251", await GroupsAsync(a.Host, a2.Name));
    }

    [Fact]
    public async Task Avahi_announcements_on_the_link_reach_the_transport()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (a, b) = await ConnectTwoHostsAsync(lab);
        await using var transport = await NamespacedTransport.StartAsync(a.Host);
        await using var avahi = await AvahiDaemon.StartAsync(b);

        await using var publish = await avahi.PublishAsync("avahi-node", 8102, ["id=abc"]);

        var packet = await transport.Sink.WaitForPacketAsync(p => p.Source.Address.Equals(b.IPv4)
            && Encoding.ASCII.GetString(p.Data).Contains("avahi-node", StringComparison.Ordinal));
        Assert.Equal(5353, packet.Source.Port);
        Assert.Equal(transport.IndexOf(a.Name), packet.InterfaceIndex);
    }

    private static async Task<(LabInterface A, LabInterface B)> ConnectTwoHostsAsync(NetworkLab lab)
    {
        var a = await lab.AddHostAsync();
        var b = await lab.AddHostAsync();
        return await lab.ConnectAsync(a, b);
    }

    private static Task<string> GroupsAsync(LabHost host, string name) => NetworkLab.RunCheckedAsync(host.Namespace, "ip", "maddr", "show", "dev", name);

    private static async Task<string> UdpSocketsOnPort5353Async(LabHost host) =>
        (await NetworkLab.RunCheckedAsync(host.Namespace, "ss", "-Huan", "sport = :5353")).Trim();
}
