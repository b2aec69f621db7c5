using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>NodeService: a fixed status and identity; a rotation answers <see cref="Rotated"/> once, then refuses as one waits.</summary>
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

    public NodeIdentityInfo Identity { get; set; } = new()
    {
        NodeId = FakeNode.NodeId,
        PublicKey = new string('a', 64),
    };

    public RotateIdentityReply Rotated { get; set; } = new()
    {
        OldNodeId = FakeNode.NodeId,
        NewNodeId = FakeNode.NewNodeId,
        RequestedAt = 1_796_000_000_000,
    };

    public Recorder<RotateIdentityRequest> Rotations { get; } = new();

    public override Task<NodeStatus> GetStatus(GetStatusRequest request, ServerCallContext context) => Task.FromResult(Status);

    public override Task<NodeIdentityInfo> GetIdentity(GetIdentityRequest request, ServerCallContext context) => Task.FromResult(Identity);

    public override Task<RotateIdentityReply> RotateIdentity(RotateIdentityRequest request, ServerCallContext context)
    {
        Rotations.Add(request);
        return Rotations.All.Count == 1
            ? Task.FromResult(Rotated)
            : throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"A key rotation of {FakeNode.NodeId} to {FakeNode.NewNodeId} is pending (asked for at 2026-11-30T00:53:20Z); it takes effect when the node next starts."));
    }
}
