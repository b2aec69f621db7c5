using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Node.Storage;

/// <summary>
/// Every <see cref="StoreOptions.MaintenanceInterval"/>, returns the database's free pages to the
/// disk once there are more than <see cref="StoreOptions.ReclaimAbovePages"/> (what deleted
/// packets and compacted memory leave behind). One failed round is logged and retried next time.
/// </summary>
public sealed partial class StoreMaintenanceWorker(NodeStore store, IOptions<StoreOptions> options, TimeProvider time,
    ILogger<StoreMaintenanceWorker> logger) : BackgroundService
{
    // Made with the worker, not in ExecuteAsync: a fake clock advanced right after StartAsync must not race it.
    private readonly PeriodicTimer _timer = new(options.Value.MaintenanceInterval, time);

    private TaskCompletionSource _round = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Rounds run so far (for tests and status).</summary>
    public int Rounds { get; private set; }

    /// <summary>Completes when the next round has run.</summary>
    public Task NextRoundAsync() => Volatile.Read(ref _round).Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One maintenance round.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var free = StoreMaintenance.FreePages(store);
            if (free > options.Value.ReclaimAbovePages)
            {
                await StoreMaintenance.ReclaimAsync(store, (int)Math.Min(free, int.MaxValue), cancellationToken).ConfigureAwait(false);
                LogReclaimed(logger, store.Path, free);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRoundFailed(logger, ex);
        }
        finally
        {
            Rounds++;
            Interlocked.Exchange(ref _round, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Path}: returned {Pages} free pages to the disk.")]
    private static partial void LogReclaimed(ILogger logger, string path, long pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store maintenance round failed; retrying next interval.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
