using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Storage;

namespace Node.Federation.Packets;

/// <summary>
/// Runs the scheduled scrub (<see cref="PacketScrub.RunIfDueAsync"/>): checks every
/// <see cref="CheckEvery"/> (or every <see cref="StoreOptions.ScrubInterval"/>, when shorter)
/// whether one is due. The schedule is kept in the store, so a node restarted more often than the
/// interval still scrubs. Off when the interval is 00:00:00. A failed scrub is logged and tried
/// again at the next check.
/// </summary>
public sealed partial class PacketScrubWorker(PacketScrub scrub, IOptions<StoreOptions> options, TimeProvider time,
    ILogger<PacketScrubWorker> logger) : BackgroundService
{
    /// <summary>How often the worker looks whether a scrub is due: 1 hour.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromHours(1);

    // Made with the worker, not in ExecuteAsync: a fake clock advanced right after StartAsync must not race it.
    private readonly PeriodicTimer? _timer = options.Value.ScrubInterval > TimeSpan.Zero
        ? new PeriodicTimer(options.Value.ScrubInterval < CheckEvery ? options.Value.ScrubInterval : CheckEvery, time)
        : null;

    private TaskCompletionSource _check = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next check has run (for tests).</summary>
    public Task NextCheckAsync() => Volatile.Read(ref _check).Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is null)
        {
            LogOff(logger);
            return;
        }

        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await scrub.RunIfDueAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex);
                }
                finally
                {
                    Interlocked.Exchange(ref _check, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled scrub of stored packets is off (Storage:ScrubInterval=00:00:00).")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled scrub failed; trying again at the next check.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
