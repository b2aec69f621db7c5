using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>FederationService answering what the test set: one peer found on eth0, and a diagnosis with a quiet wlan0.</summary>
public sealed class FakeFederationService : FederationService.FederationServiceBase
{
    public Recorder<DiscoverRequest> Discovers { get; } = new();

    public DiscoverReply Discovery { get; set; } = new()
    {
        QueriedAt = FakeKnowledgeService.Epoch,
        Peers =
        {
            new DiscoveredPeer
            {
                Instance = $"{FakePeerService.PeerId}._sovereign._tcp.local", NodeId = FakePeerService.PeerId, Host = "sovereign-abcdefg.local",
                Port = 8102, Addresses = { "192.168.1.20:8102", "[fe80::20%2]:8102" }, Txt = { ["id"] = FakePeerService.PeerId, ["proto"] = "1" },
                InterfaceName = "eth0", LastSeenAt = FakeKnowledgeService.Epoch + 1_000,
            },
        },
    };

    public DiagnoseReply Diagnosis { get; set; } = new()
    {
        Enabled = true,
        Running = true,
        InstanceName = $"{FakeNode.NodeId}._sovereign._tcp.local",
        HostName = "sovereign-gcqtisu.local",
        Services = 1,
        Links =
        {
            new DiscoveryLink { Name = "eth0", Index = 2, JoinedIpv4 = true, JoinedIpv6 = true, PacketsSent = 12, PacketsReceived = 40, State = "announced" },
            new DiscoveryLink { Name = "wlan0", Index = 3, JoinedIpv4 = true, PacketsSent = 12, State = "announced" },
        },
        Hints = { "no multicast traffic seen on wlan0: check the firewall allows UDP 5353 and the switch passes multicast" },
    };

    public override Task<DiscoverReply> Discover(DiscoverRequest request, ServerCallContext context)
    {
        Discovers.Add(request);
        return Task.FromResult(Discovery);
    }

    public override Task<DiagnoseReply> Diagnose(DiagnoseRequest request, ServerCallContext context) => Task.FromResult(Diagnosis);
}
