using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Reasoning.Decisions;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;

namespace Node.Daemon.Reasoning;

/// <summary>
/// The guardian stop, durable: a stop or a resume is appended to the event log
/// (<see cref="EventKinds.DecisionAutomaticStopped"/>, <see cref="EventKinds.DecisionAutomaticResumed"/>) before the
/// <see cref="DecisionMatrix"/> changes, and at start the later of the two restores the matrix — so a stop outlives a restart.
/// </summary>
/// <remarks>Registered as a hosted service after the store and before the reasoning loop, so no decision is judged before the restore.</remarks>
internal sealed partial class GuardianStops(NodeStore store, ReasoningHost host, ILogger<GuardianStops> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The matrix the stop applies to.</summary>
    public DecisionMatrix Matrix => host.Matrix;

    /// <summary>Stops automatic approval; a no-op when it is already stopped (the first stop stands).</summary>
    /// <returns>Whether this call stopped it.</returns>
    public async Task<bool> StopAutomaticApprovalAsync(string guardian, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(guardian);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Matrix.IsStopped)
            {
                return false;
            }

            // Durable first: a stop the log does not hold would be lost on the next restart.
            var stopped = new AutomaticApprovalStoppedEvent(guardian, reason, at.ToUnixTimeMilliseconds());
            await store.Writer.WriteAsync(c => c.AppendEvent(stopped), cancellationToken).ConfigureAwait(false);
            Matrix.RestoreStop(guardian, reason, at);
            LogStopped(logger, guardian, reason);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Lets automatic approval resume; a no-op when it is not stopped.</summary>
    /// <returns>Whether this call resumed it.</returns>
    public async Task<bool> ResumeAutomaticApprovalAsync(string guardian, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(guardian);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Matrix.IsStopped)
            {
                return false;
            }

            var resumed = new AutomaticApprovalResumedEvent(guardian, string.IsNullOrEmpty(reason) ? null : reason);
            await store.Writer.WriteAsync(c => c.AppendEvent(resumed), cancellationToken).ConfigureAwait(false);
            Matrix.Resume(guardian);
            LogResumed(logger, guardian);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Restores the stop the event log holds, if its last word was a stop.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var reader = store.OpenReader();
        var stopped = reader.Events.LastOfKind(EventKinds.DecisionAutomaticStopped);
        var resumed = reader.Events.LastOfKind(EventKinds.DecisionAutomaticResumed);
        if (stopped is null || (resumed is not null && resumed.Seq > stopped.Seq))
        {
            return Task.CompletedTask;
        }

        if (Read(stopped) is { } stop)
        {
            Matrix.RestoreStop(stop.Guardian, stop.Reason, stop.At);
            LogRestored(logger, stop.Guardian, stop.At, stop.Reason);
        }
        else
        {
            // Fail safe: a stop we cannot read is still a stop.
            Matrix.RestoreStop("unknown", $"event {stopped.Seq} could not be read", DateTimeOffset.FromUnixTimeMilliseconds(stopped.Time));
            LogUnreadable(logger, stopped.Seq);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _gate.Dispose();

    private static (string Guardian, string Reason, DateTimeOffset At)? Read(EventEntry entry) =>
        entry.TryRead<AutomaticApprovalStoppedEvent>(out var stop) && !string.IsNullOrWhiteSpace(stop.Guardian) && !string.IsNullOrWhiteSpace(stop.Reason)
            ? (stop.Guardian, stop.Reason, DateTimeOffset.FromUnixTimeMilliseconds(stop.At > 0 ? stop.At : entry.Time))
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automatic approval stopped by {Guardian}: {Reason}.")]
    private static partial void LogStopped(ILogger logger, string guardian, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automatic approval resumed by {Guardian}.")]
    private static partial void LogResumed(ILogger logger, string guardian);

    [LoggerMessage(Level = LogLevel.Error, Message = "The guardian stop of event {Seq} is unreadable; automatic approval stays stopped.")]
    private static partial void LogUnreadable(ILogger logger, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automatic approval stays stopped, as {Guardian} stopped it at {At}: {Reason}.")]
    private static partial void LogRestored(ILogger logger, string guardian, DateTimeOffset at, string reason);
}
