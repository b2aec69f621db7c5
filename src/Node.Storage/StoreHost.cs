using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Storage.Writing;

namespace Node.Storage;

/// <summary>
/// Opens the store when the host starts — so the node reports ready only once the store is open
/// and checked — and closes it, after the queued writes, when the host stops. When the writer
/// stops on a fault, the store can take no more writes: the host is stopped, and
/// <see cref="Fault"/> says why (the daemon exits non-zero, and systemd restarts it).
/// </summary>
public sealed partial class StoreHost(
    StoreHostSettings settings,
    IOptions<StoreOptions> options,
    TimeProvider time,
    ILogger<NodeStore> logger,
    IHostApplicationLifetime? lifetime = null) : IHostedService, IAsyncDisposable
{
    private NodeStore? _store;

    /// <summary>Why the store's writer stopped on its own, or null.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>The open store.</summary>
    /// <exception cref="InvalidOperationException">The host has not started, or has stopped.</exception>
    public NodeStore Store => _store ?? throw new InvalidOperationException("The store is not open: the node has not started yet, or is stopping.");

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var store = NodeStore.Open(settings.Directory(), options.Value, time, logger, settings.Heartbeat?.Invoke());
        _store = store;
        store.Writer.Completion.ContinueWith(_ =>
        {
            if (store.Writer.Fault is { } fault)
            {
                Fault = fault;
                LogWriterStopped(logger, store.Path);
                lifetime?.StopApplication();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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

public sealed partial class StoreHost
{
    [LoggerMessage(Level = LogLevel.Critical, Message = "Store {Path} takes no more writes; stopping the node so it restarts and reopens it.")]
    private static partial void LogWriterStopped(ILogger logger, string path);
}

/// <summary>Where the store lives and who hears its writer's heartbeat; given by the composition root.</summary>
/// <param name="Directory">The state directory, read when the host starts.</param>
/// <param name="Heartbeat">Makes the writer's heartbeat (a critical loop's), or null.</param>
public sealed record StoreHostSettings(Func<string> Directory, Func<WriterHeartbeat>? Heartbeat = null);
