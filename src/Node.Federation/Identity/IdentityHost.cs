using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Node.Federation.Identity;

/// <summary>
/// Loads the node's identity when the host starts (creating it on the first start), so the node
/// reports ready only with its identity in hand.
/// </summary>
public sealed partial class IdentityHost(IdentityHostSettings settings, ILogger<IdentityHost> logger) : IHostedService, IDisposable
{
    private NodeIdentity? _identity;

    /// <summary>The node's identity.</summary>
    /// <exception cref="InvalidOperationException">The host has not started.</exception>
    public NodeIdentity Identity => _identity ?? throw new InvalidOperationException("The identity is not loaded: the node has not started yet.");

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = settings.Directory();
        var (identity, created) = NodeIdentity.LoadOrCreate(directory);
        _identity = identity;
        var id = identity.Id.ToString();
        if (created)
        {
            LogCreated(logger, id, Path.Combine(directory, NodeIdentity.FileName));
            settings.Created?.Invoke(identity);
        }
        else
        {
            LogLoaded(logger, id);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _identity?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "New node identity {NodeId} created in {Path}; back this file up: peers know the node by it.")]
    private static partial void LogCreated(ILogger logger, string nodeId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node identity {NodeId} loaded.")]
    private static partial void LogLoaded(ILogger logger, string nodeId);
}

/// <summary>Where the identity lives, and who hears of a new one; given by the composition root.</summary>
/// <param name="Directory">The state directory, read when the host starts.</param>
/// <param name="Created">Called once when a new identity was made (to record it as an event).</param>
public sealed record IdentityHostSettings(Func<string> Directory, Action<NodeIdentity>? Created = null);
