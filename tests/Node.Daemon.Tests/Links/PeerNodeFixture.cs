using Google.Protobuf;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Protocol.Packets;
using ApiPeerService = Node.Protocol.Api.PeerService;
using ApiTrustTier = Node.Protocol.Api.TrustTier;

namespace Node.Daemon.Tests.Links;

/// <summary>One node in the test process with its peer listener on a free port, shared by a class's tests (each brings its own peers).</summary>
public sealed class PeerNodeFixture : IAsyncLifetime
{
    public ApiNode Node { get; private set; } = null!;

    public int PeerPort { get; private set; }

    public NodeStatus Status { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Node = await ApiNode.StartAsync();
        Status = await new NodeService.NodeServiceClient(Node.Channel).GetStatusAsync(new GetStatusRequest());
        PeerPort = Status.PeerPort;
    }

    public async ValueTask DisposeAsync() => await Node.DisposeAsync();

    /// <summary>Registers <paramref name="peer"/> (as an operator would with <c>nodectl peers add</c>) and gives it <paramref name="tier"/>.</summary>
    public async Task TrustAsync(TestPeer peer, ApiTrustTier tier)
    {
        var peers = new ApiPeerService.PeerServiceClient(Node.Channel);
        await peers.AddAsync(new AddPeerRequest { Address = "127.0.0.1:9", NodeId = peer.Id.ToString(), Name = "test" });
        await peers.SetTrustAsync(new SetTrustRequest { NodeId = peer.Id.ToString(), Tier = tier, Reason = "test" });
    }

    public async Task SetTierAsync(TestPeer peer, ApiTrustTier tier) =>
        await new ApiPeerService.PeerServiceClient(Node.Channel).SetTrustAsync(new SetTrustRequest { NodeId = peer.Id.ToString(), Tier = tier, Reason = "test" });

    public async Task PutAsync(string topic, string key, string content, ShareScope scope) =>
        await new KnowledgeService.KnowledgeServiceClient(Node.Channel).PutAsync(new PutKnowledgeRequest
        {
            Topic = topic,
            Key = key,
            Content = ByteString.CopyFromUtf8(content),
            Scope = scope,
        });

    /// <summary>The peer listener's refusal counts now.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RefusalsAsync()
    {
        var reply = await new FederationService.FederationServiceClient(Node.Channel).DiagnoseAsync(new DiagnoseRequest());
        return reply.PeerListener.Refusals.ToDictionary();
    }

    public async Task<long> RefusalsAsync(string reason) => (await RefusalsAsync()).GetValueOrDefault(reason);
}
