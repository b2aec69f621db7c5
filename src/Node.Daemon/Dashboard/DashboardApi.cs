using Grpc.Core;
using Microsoft.Extensions.Logging;
using Node.Daemon.Api;
using Node.Protocol.Api;

namespace Node.Daemon.Dashboard;

/// <summary><c>sovereign.api.v1.DashboardService</c>: login links and the metrics token, for <c>nodectl dashboard</c>.</summary>
internal sealed partial class DashboardApi(DashboardServer server, DashboardAccess access, ILogger<DashboardApi> logger)
    : DashboardService.DashboardServiceBase
{
    public override Task<DashboardLogin> CreateLogin(CreateDashboardLoginRequest request, ServerCallContext context)
    {
        var url = BaseUrl();
        var (token, expiresAt) = access.CreateLoginLink();
        var caller = CallerName.Describe(context);
        LogLinkMade(logger, caller, expiresAt);
        return Task.FromResult(new DashboardLogin
        {
            Url = $"{url}{DashboardPages.LoginPath}?token={token}",
            ExpiresAt = expiresAt.ToUnixTimeMilliseconds(),
        });
    }

    public override Task<MetricsToken> GetMetricsToken(GetMetricsTokenRequest request, ServerCallContext context)
    {
        var url = BaseUrl();
        var caller = CallerName.Describe(context);
        LogTokenGiven(logger, caller);
        return Task.FromResult(new MetricsToken { Token = access.MetricsToken, Url = url + DashboardGate.MetricsPath });
    }

    private string BaseUrl() => server.BaseUrl ?? throw ApiErrors.FailedPrecondition(server.Enabled
        ? "The dashboard is starting or stopping; try again in a moment."
        : "The dashboard is off: set Dashboard:Enabled to true (config file, or SOVEREIGN_NODE__DASHBOARD__ENABLED=true) and restart the node.");

    // Who asked, never what they were given: the link and the token are secrets.
    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard login link made for {Caller}; it works once, until {ExpiresAt:u}.")]
    private static partial void LogLinkMade(ILogger logger, string caller, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics token given to {Caller}.")]
    private static partial void LogTokenGiven(ILogger logger, string caller);
}
