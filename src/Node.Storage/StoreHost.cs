using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Storage.Writing;

namespace Node.Storage;

/// <summary>
/// Opens the store when the host starts — so the node reports ready only once the store is open
/// and checked — and closes it, after the queued writes, when the host stops.
/// </summary>
public sealed class StoreHost(
    StoreHostSettings settings,
    IOptions<StoreOptions> options,
    TimeProvider time,
    ILogger<NodeStore> logger) : IHostedService, IAsyncDisposable
{
    private NodeStore? _store;

    /// <summary>The open store.</summary>
    /// <exception cref="InvalidOperationException">The host has not started, or has stopped.</exception>
    public NodeStore Store => _store ?? throw new InvalidOperationException("The store is not open: the node has not started yet, or is stopping.");

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _store = NodeStore.Open(settings.Directory(), options.Value, time, logger, settings.Heartbeat?.Invoke());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _store, null) is { } store)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Where the store lives and who hears its writer's heartbeat; given by the composition root.</summary>
/// <param name="Directory">The state directory, read when the host starts.</param>
/// <param name="Heartbeat">Makes the writer's heartbeat (a critical loop's), or null.</param>
public sealed record StoreHostSettings(Func<string> Directory, Func<WriterHeartbeat>? Heartbeat = null);
