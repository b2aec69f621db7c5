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
                Since = FakeKnowledgeService.Epoch + 90_000, ClockSkewMs = -95_000,
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

    public override Task<PeerDetail> Get(GetPeerRequest request, ServerCallContext context)
    {
        lock (_lock)
        {
            var peer = Peers.FirstOrDefault(p => p.NodeId == request.NodeId) ?? throw new RpcException(new Status(StatusCode.NotFound, $"No peer {request.NodeId} is known here."));
            return Task.FromResult(new PeerDetail
            {
                Peer = peer,
                Manifest = new PeerManifestView
                {
                    Name = "pantry", Addresses = { "192.168.1.20" }, PeerPort = 8102, Capabilities = { "peer.v1", "query.v1" }, SoftwareVersion = "0.1.0",
                    CertificateSha256 = new string('c', 64), IssuedAt = FakeKnowledgeService.Epoch, ExpiresAt = FakeKnowledgeService.Epoch + 604_800_000,
                    ManifestSha256 = new string('d', 64), ValidNow = true,
                },
            });
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
