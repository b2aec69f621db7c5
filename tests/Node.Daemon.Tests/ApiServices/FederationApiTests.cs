using Grpc.Core;
using Node.Daemon.Api;
using Node.Daemon.Tests.Support;
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
    }
}
