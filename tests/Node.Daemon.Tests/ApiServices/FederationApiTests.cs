using System.Net;
using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Daemon.Api;
using Node.Daemon.Tests.Support;
using Node.Federation.Discovery;
using Node.Federation.Identity;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>FederationService over the real socket of an in-process node (test nodes run with discovery off).</summary>
public sealed class FederationApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(-1)]
    [InlineData(99)]
    [InlineData(30_001)]
    public async Task A_timeout_outside_100_ms_to_30_s_is_refused_naming_the_field(int timeoutMs)
    {
        await using var node = await ApiNode.StartAsync();
        var client = new FederationService.FederationServiceClient(node.Channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            client.DiscoverAsync(new DiscoverRequest { TimeoutMs = timeoutMs }, cancellationToken: Token).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal($"timeout_ms: must be from 100 to 30000 (0 = 2000); was {timeoutMs}", refused.Status.Detail);
    }

    [Fact]
    public async Task With_discovery_off_discover_is_a_failed_precondition_that_names_the_setting()
    {
        await using var node = await ApiNode.StartAsync(["--no-discovery"]);
        var client = new FederationService.FederationServiceClient(node.Channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.DiscoverAsync(new DiscoverRequest(), cancellationToken: Token).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(FederationApi.DisabledMessage, refused.Status.Detail);
        Assert.Equal("discovery is off (Federation:Discovery:Enabled=false)", refused.Status.Detail);
    }

    [Fact]
    public async Task With_discovery_off_diagnose_says_so_and_hints_at_static_peers()
    {
        await using var node = await ApiNode.StartAsync(["--no-discovery"]);
        var client = new FederationService.FederationServiceClient(node.Channel);

        var reply = await client.DiagnoseAsync(new DiagnoseRequest(), cancellationToken: Token);

        Assert.False(reply.Enabled);
        Assert.False(reply.Running);
        Assert.Empty(reply.Links);
        Assert.Contains("nodectl peers add", Assert.Single(reply.Hints), StringComparison.Ordinal);
        var status = await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Token);
        Assert.Equal(("off", "Federation:Discovery:Enabled=false"), status.Subsystems.Where(s => s.Name == "discovery").Select(s => (s.State, s.Detail)).Single());
    }

    [Fact]
    public async Task With_discovery_on_a_node_on_the_link_is_recorded_as_an_mdns_peer_and_answers_discover()
    {
        var network = new InMemoryMdnsNetwork(TimeProvider.System);
        var other = NodeId.FromPublicKey(RandomNumberGenerator.GetBytes(32));
        using var remote = new MdnsDiscovery(network.Attach("eth0", IPAddress.Parse("10.0.0.2")), TimeProvider.System,
            NullLogger<MdnsDiscovery>.Instance);
        remote.Start(new ServiceProfile(other, 8102));
        await using var node = await ApiNode.StartAsync(["--set", "Federation:Discovery:Enabled=true"], builder =>
            builder.Services.Replace(ServiceDescriptor.Singleton<MdnsTransportFactory>(_ => network.Attach("eth0", IPAddress.Parse("10.0.0.1")))));
        var log = new LogService.LogServiceClient(node.Channel);

        // The node's log says when the peer is recorded: follow it rather than poll.
        using var tail = log.Tail(new TailLogRequest { Follow = true, Last = 10_000 }, cancellationToken: Token);
        await foreach (var entry in tail.ResponseStream.ReadAllAsync(Token))
        {
            if (entry.Kind == "peer.discovered")
            {
                break;
            }
        }

        var peer = Assert.Single((await new PeerService.PeerServiceClient(node.Channel).ListPeersAsync(Token)).Peers);
        Assert.Equal((other.ToString(), "mdns", Protocol.Api.TrustTier.Unknown), (peer.NodeId, peer.Source, peer.Tier));
        Assert.Equal(["10.0.0.2:8102"], peer.Addresses);
        var client = new FederationService.FederationServiceClient(node.Channel);
        // The default wait (2 s) outlasts the one second a responder waits before multicasting a record again (RFC 6762 §6).
        var answered = await client.DiscoverAsync(new DiscoverRequest(), cancellationToken: Token);
        var found = Assert.Single(answered.Peers);
        Assert.Equal((other.ToString(), "eth0", 8102u), (found.NodeId, found.InterfaceName, found.Port));
        Assert.Equal(["10.0.0.2:8102"], found.Addresses);
        var diagnosis = await client.DiagnoseAsync(new DiagnoseRequest(), cancellationToken: Token);
        Assert.True(diagnosis.Running);
        Assert.Equal("eth0", Assert.Single(diagnosis.Links).Name);
        Assert.Empty(diagnosis.Hints);
        var status = await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Token);
        var discovery = status.Subsystems.Single(s => s.Name == "discovery");
        Assert.Equal("ok", discovery.State);
        Assert.Equal($"{status.NodeId}._sovereign._tcp.local; 1 peer service(s) on eth0", discovery.Detail);
    }
}

internal static class PeerClientExtensions
{
    public static async Task<ListPeersReply> ListPeersAsync(this PeerService.PeerServiceClient client, CancellationToken cancellationToken) =>
        await client.ListAsync(new ListPeersRequest(), cancellationToken: cancellationToken);
}
