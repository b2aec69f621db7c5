using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>PeerService over a list.</summary>
public sealed class FakePeerService : PeerService.PeerServiceBase
{
    public const string PeerId = "ABCDEFG-HIJKLMN-OPQRSTU-VWXYZ23";

    private readonly Lock _lock = new();

    public List<Peer> Peers { get; } =
    [
        new Peer
        {
            NodeId = PeerId, Name = "pantry", Tier = TrustTier.Core, Addresses = { "192.168.1.20:8102" }, Source = "mdns",
            FirstSeenAt = FakeKnowledgeService.Epoch, LastSeenAt = FakeKnowledgeService.Epoch + 60_000,
            Link = new PeerLink
            {
                State = "connected", Direction = "outbound", RttUs = 420, LastHeartbeatAt = FakeKnowledgeService.Epoch + 120_000,
                Since = FakeKnowledgeService.Epoch + 90_000,
            },
        },
    ];

    public Recorder<AddPeerRequest> Adds { get; } = new();
    public Recorder<SetTrustRequest> Trusts { get; } = new();
    public Recorder<ForgetPeerRequest> Forgets { get; } = new();

    public override Task<ListPeersReply> List(ListPeersRequest request, ServerCallContext context)
    {
        lock (_lock)
        {
            return Task.FromResult(new ListPeersReply { Peers = { Peers } });
        }
    }

    public override Task<Peer> Add(AddPeerRequest request, ServerCallContext context)
    {
        Adds.Add(request);
        var peer = new Peer
        {
            NodeId = request.NodeId, Name = request.Name, Tier = TrustTier.Unknown, Addresses = { request.Address }, Source = "static",
            FirstSeenAt = FakeKnowledgeService.Epoch,
        };
        lock (_lock)
        {
            Peers.Add(peer);
        }

        return Task.FromResult(peer);
    }

    public override Task<Peer> SetTrust(SetTrustRequest request, ServerCallContext context)
    {
        Trusts.Add(request);
        lock (_lock)
        {
            var peer = Peers.FirstOrDefault(p => p.NodeId == request.NodeId)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"no peer with node id {request.NodeId}"));
            peer.Tier = request.Tier;
            return Task.FromResult(peer);
        }
    }

    public override Task<ForgetPeerReply> Forget(ForgetPeerRequest request, ServerCallContext context)
    {
        Forgets.Add(request);
        lock (_lock)
        {
            var forgotten = request.SelectorCase == ForgetPeerRequest.SelectorOneofCase.NodeId
                ? Peers.RemoveAll(p => p.NodeId == request.NodeId)
                : Peers.RemoveAll(p => p.Addresses.Contains(request.Address));
            return Task.FromResult(new ForgetPeerReply { Forgotten = forgotten });
        }
    }
}
