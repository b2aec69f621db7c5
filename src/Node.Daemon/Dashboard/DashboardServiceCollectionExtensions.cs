using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Daemon.Binding;
using Node.Daemon.Metrics;
using Node.Federation.Identity;
using Node.Protocol.Api;

namespace Node.Daemon.Dashboard;

/// <summary>The dashboard listener, its access rules, the node's metrics and <c>DashboardService</c>.</summary>
internal static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="NodeMetrics"/> (made with the node, whether or not the dashboard is on), the
    /// dashboard's access and rate limit, its listener (a hosted service that does nothing when
    /// <c>Dashboard:Enabled</c> is false) and <c>DashboardService</c>'s method table (after <c>AddGrpc</c>).
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton(sp => new DashboardAccess(sp.GetRequiredService<IOptions<DashboardOptions>>(), sp.GetRequiredService<TimeProvider>(), () =>
        {
            var (token, renewed) = MetricsTokenFile.LoadOrCreate(sp.GetRequiredService<IdentityHost>().Directory);
            if (renewed is not null)
            {
                DashboardLog.MetricsTokenRenewed(sp.GetRequiredService<ILogger<DashboardAccess>>(), renewed);
            }

            return token;
        }));
        services.AddSingleton<DashboardRateLimiter>();
        services.AddSingleton<DashboardServer>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardServer>());
        services.AddGrpcMethods(new GrpcMethods<DashboardApi>(DashboardService.Descriptor)
        {
            { nameof(DashboardApi.CreateLogin), (DashboardApi s, CreateDashboardLoginRequest r, ServerCallContext c) => s.CreateLogin(r, c) },
            { nameof(DashboardApi.GetMetricsToken), (DashboardApi s, GetMetricsTokenRequest r, ServerCallContext c) => s.GetMetricsToken(r, c) },
        });
        return services;
    }
}
