using System.Net;
using Node.Federation.Discovery;
using Node.Federation.Discovery.Dns;
using Node.Federation.Tests.Discovery.Support;

namespace Node.Federation.Tests.Discovery;

/// <summary>
/// RFC 6762 §9 and §10.1 on a simulated link: what a node announced under a name it then loses to a
/// conflict gets a goodbye, so that its peers drop it at once instead of holding it for its TTL.
/// </summary>
public sealed class MdnsRenameGoodbyeTests : IDisposable
{
    private static readonly IPEndPoint Rival = new(IPAddress.Parse("10.0.0.66"), 5353);
    private readonly SimulatedLan _lan = new();

    // Another host's answer claiming our host name with its own address, as a host that booted from a
    // copied image (or a device named the same) would announce it.
    private static byte[] HostClaim(DnsName host) =>
        DnsMessage.Response([new DnsRecord(host, DnsRecordType.A, 120, new AddressData(IPAddress.Parse("10.0.0.66")), CacheFlush: true)]).ToArray();

    [Fact]
    public void A_node_renamed_after_a_conflict_says_goodbye_for_its_old_names_and_its_peer_drops_them_at_once()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(5);
        var before = Assert.Single(b.Discovery.Services);
        var oldInstance = before.Instance;
        var oldHost = before.Host;

        // The conflict comes after a announced: it probes its names again (§9), and the rival still holds the host name.
        _lan.Network.Inject(HostClaim(oldHost), Rival);
        _lan.Run(0.3);
        Assert.Equal(a.Profile!.NodeId.ToString(), a.Discovery.InstanceName);
        var count = _lan.Network.Sent.Count;
        _lan.Network.Inject(HostClaim(oldHost), Rival);
        _lan.Run(0.01);
        Assert.Equal($"{a.Profile.NodeId} (2)", a.Discovery.InstanceName);

        var goodbye = Assert.Single(_lan.Sent().Skip(count), p => p.From == "a" && p.Message.IsResponse).Message;
        Assert.All(goodbye.Answers, r => Assert.Equal(0u, r.Ttl));
        Assert.Contains(goodbye.Answers, r => r.Type == DnsRecordType.Ptr && ((PointerData)r.Data).Target.Equals(oldInstance));
        Assert.Contains(goodbye.Answers, r => r.Type == DnsRecordType.Srv && r.Name.Equals(oldInstance));
        Assert.Contains(goodbye.Answers, r => r.Type == DnsRecordType.Txt && r.Name.Equals(oldInstance));
        Assert.Contains(goodbye.Answers, r => r.Type == DnsRecordType.A && r.Name.Equals(oldHost) && ((AddressData)r.Data).Address.Equals(IPAddress.Parse("10.0.0.1")));

        _lan.Run(0.9);
        Assert.Empty(b.ChangesOf(DiscoveryChangeKind.Lost));
        _lan.Run(0.2);

        // Without the goodbye b would list a's old instance, with a's node id and the rival's address, until its SRV expired (120 s).
        var lost = Assert.Single(b.ChangesOf(DiscoveryChangeKind.Lost));
        Assert.Equal(oldInstance, lost.Service.Instance);
        Assert.Equal(LossReason.Goodbye, lost.Reason);
        _lan.Run(1);
        var now = Assert.Single(b.Discovery.Services);
        Assert.Equal($"{a.Profile.NodeId} (2)", now.InstanceLabel);
        Assert.Equal(a.Profile.NodeId, now.NodeId);
        Assert.Contains(IPAddress.Parse("10.0.0.1"), now.Addresses);
    }

    [Fact]
    public void A_conflict_that_goes_away_during_the_probe_keeps_the_names_and_sends_no_goodbye()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(5);
        var count = _lan.Network.Sent.Count;

        _lan.Network.Inject(HostClaim(Assert.Single(b.Discovery.Services).Host), Rival);
        _lan.Run(3);

        Assert.Equal(a.Profile!.NodeId.ToString(), a.Discovery.InstanceName);
        Assert.DoesNotContain(_lan.Sent().Skip(count), p => p.From == "a" && p.Message.IsResponse && p.Message.Answers.Any(r => r.Ttl == 0));
        Assert.Contains(_lan.Sent().Skip(count), p => p.From == "a" && p.Message.Authorities.Count > 0); // probed again
        Assert.Equal("announced", Assert.Single(a.Discovery.Diagnose().Links).State);
    }

    [Fact]
    public void A_node_stopped_while_probing_again_says_goodbye_for_what_it_had_announced()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(5);
        var announced = _lan.Sent().Last(p => p.From == "a" && p.Message.IsResponse && p.Message.Answers.Any(r => r.Type == DnsRecordType.Srv)).Message.Answers;

        _lan.Network.Inject(HostClaim(Assert.Single(b.Discovery.Services).Host), Rival);
        _lan.Run(0.3);
        Assert.Equal("probing", Assert.Single(a.Discovery.Diagnose().Links).State);
        a.Discovery.Stop();

        var goodbye = _lan.Sent().Last(p => p.From == "a").Message;
        Assert.True(goodbye.IsResponse);
        Assert.Equal(announced.Select(r => r.WithTtl(0)).OrderBy(r => r.Type).ThenBy(r => r.ToString(), StringComparer.Ordinal),
            goodbye.Answers.OrderBy(r => r.Type).ThenBy(r => r.ToString(), StringComparer.Ordinal));
        _lan.Run(2);
        Assert.Equal(LossReason.Goodbye, Assert.Single(b.ChangesOf(DiscoveryChangeKind.Lost)).Reason);
    }

    public void Dispose() => _lan.Dispose();
}
