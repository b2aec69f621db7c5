using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>NodeService: a fixed status.</summary>
public sealed class FakeNodeService : NodeService.NodeServiceBase
{
    public NodeStatus Status { get; set; } = new()
    {
        NodeId = FakeNode.NodeId,
        Name = "kitchen",
        Version = "0.1.0",
        UptimeSeconds = 3723.4567,
        Pid = 2891,
        PeerPort = 8102,
        CertificateSha256 = new string('c', 64),
        ManifestSha256 = new string('m', 64),
        Store = new StoreStats { Packets = 1204, HeldPackets = 2, Events = 1290, DatabaseBytes = 2_293_760, Epoch = "9f3c2a1b" },
        Subsystems =
        {
            new Subsystem { Name = "store", State = "ok", Detail = "/var/lib/sovereign-node/node.db" },
            new Subsystem { Name = "critical-loops", State = "degraded", Detail = "stalled: sync" },
        },
    };

    public override Task<NodeStatus> GetStatus(GetStatusRequest request, ServerCallContext context) => Task.FromResult(Status);
}
