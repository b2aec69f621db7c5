using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Node.Storage;

/// <summary>
/// Stops the node when the store's writer stops on a fault: the store can take no more writes,
/// so the node exits non-zero (the daemon reads <see cref="Writing.StoreWriter.Fault"/>) and
/// systemd restarts it, reopening and checking the store.
/// </summary>
public sealed partial class StoreFaultWatcher(NodeStore store, IHostApplicationLifetime lifetime, ILogger<StoreFaultWatcher> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Writer.Completion.ContinueWith(_ =>
        {
            if (store.Writer.Fault is not null)
            {
                LogWriterStopped(logger, store.Path);
                lifetime.StopApplication();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Critical, Message = "Store {Path} takes no more writes; stopping the node so it restarts and reopens it.")]
    private static partial void LogWriterStopped(ILogger logger, string path);
}
