using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.Dashboard;

public sealed class DashboardApiTests
{
    [Fact]
    public async Task With_the_dashboard_off_neither_a_login_link_nor_the_metrics_token_is_given_and_the_refusal_names_the_setting()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new DashboardService.DashboardServiceClient(node.Channel);
        var token = TestContext.Current.CancellationToken;

        var login = await Assert.ThrowsAsync<RpcException>(() => client.CreateLoginAsync(new CreateDashboardLoginRequest(), cancellationToken: token).ResponseAsync);
        var metrics = await Assert.ThrowsAsync<RpcException>(() => client.GetMetricsTokenAsync(new GetMetricsTokenRequest(), cancellationToken: token).ResponseAsync);

        foreach (var refusal in new[] { login, metrics })
        {
            Assert.Equal(StatusCode.FailedPrecondition, refusal.StatusCode);
            Assert.StartsWith("The dashboard is off: set Dashboard:Enabled to true", refusal.Status.Detail, StringComparison.Ordinal);
        }
    }
}
