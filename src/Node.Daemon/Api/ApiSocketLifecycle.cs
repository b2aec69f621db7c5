using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.Hosting;

namespace Node.Daemon.Api;

/// <summary>
/// Once the node has started (the socket is bound), opens the socket to the service group
/// (mode 0660) and reports every service as serving on <c>grpc.health.v1</c>; on the way down,
/// reports not serving and removes the socket file after the server has stopped.
/// </summary>
internal sealed class ApiSocketLifecycle(string socket, HealthServiceImpl health, IHostApplicationLifetime lifetime) : IHostedService
{
    /// <summary>
    /// The names health reports on: the node (<c>""</c>) and every service of api.proto. Written
    /// out rather than read from the proto's descriptor, whose building would cost every start;
    /// a test checks the list against the descriptor.
    /// </summary>
    internal static readonly string[] Services =
    [
        "",
        "sovereign.api.v1.NodeService",
        "sovereign.api.v1.KnowledgeService",
        "sovereign.api.v1.PeerService",
        "sovereign.api.v1.FederationService",
        "sovereign.api.v1.DecisionService",
        "sovereign.api.v1.LogService",
        "sovereign.api.v1.BackupService",
        "sovereign.api.v1.StoreService",
        "sovereign.api.v1.ApiKeyService",
        "sovereign.api.v1.DashboardService",
        "sovereign.api.v1.ReasoningService",
    ];

    // Runs after the store is open and locked (so a second node on the same state is refused
    // by the lock first), and before the server binds the socket (it starts last).
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (ApiSocket.Free(socket) is { } problem)
        {
            throw new ApiSocketException(problem);
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            File.SetUnixFileMode(socket, ApiSocket.Mode);
            foreach (var service in Services)
            {
                health.SetStatus(service, HealthCheckResponse.Types.ServingStatus.Serving);
            }
        });
        lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var service in Services)
            {
                health.SetStatus(service, HealthCheckResponse.Types.ServingStatus.NotServing);
            }
        });
        return Task.CompletedTask;
    }

    // Hosted services stop in reverse order and the server was registered after this one: it has stopped.
    public Task StopAsync(CancellationToken cancellationToken)
    {
        File.Delete(socket);
        return Task.CompletedTask;
    }
}

/// <summary>The API socket cannot be served; the message says why and what to do.</summary>
public sealed class ApiSocketException(string message) : Exception(message);
