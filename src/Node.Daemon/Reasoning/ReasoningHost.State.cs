using Microsoft.Extensions.Logging;
using Node.Reasoning;
using Node.Reasoning.Memory;

namespace Node.Daemon.Reasoning;

/// <summary>The reasoning host's learnt state: restored at start, saved on a schedule and on stop; the hourly caps seeded; periodic chores.</summary>
internal sealed partial class ReasoningHost
{
    // Runs before the loop takes work, so nothing reasons on a half-restored engine.
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        SeedHourlyCaps();
        if (ReasoningState.Load(_store) is not { } saved)
        {
            LogFresh(_logger);
            return;
        }

        if (ReasoningSnapshot.TryRestore(saved, _engine, _memory, out var seq, out var error))
        {
            _packetSeq = seq;
            _reflectionsSeen = _engine.Aletheia.Reflections;
            LogRestored(_logger, _engine.Subjects, _engine.Aletheia.Reflections, _memory.ClaimCount, saved.Length);
            return;
        }

        LogStateDamaged(_logger, error ?? "unknown", ReasoningState.DamagedKind);
        _memory = new InMemoryReasoningMemory();
        _engine = new ReasoningEngine(_options, _memory);
        await ReasoningState.SetAsideAsync(_store, cancellationToken).ConfigureAwait(false);
    }

    // A restart must not reset the hourly caps: the automatic approvals of the last hour count again.
    private void SeedHourlyCaps()
    {
        using var reader = _store.OpenReader();
        var approved = reader.Decisions.CreatedSince(Node.Storage.Decisions.DecisionStatuses.AutoApproved,
            (_time.GetUtcNow() - TimeSpan.FromHours(1)).ToUnixTimeMilliseconds());
        var seeded = 0;
        foreach (var (type, createdAt) in approved)
        {
            seeded += Matrix.RecordPastApproval(type, DateTimeOffset.FromUnixTimeMilliseconds(createdAt)) ? 1 : 0;
        }

        if (seeded > 0)
        {
            LogCapsSeeded(_logger, seeded);
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            var blob = ReasoningSnapshot.Capture(_engine, _memory, _packetSeq);
            await ReasoningState.SaveAsync(_store, blob, _time.GetUtcNow().ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
            LogSaved(_logger, blob.Length, _engine.Subjects);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSaveFailed(_logger, e);
        }
    }

    // Periodic work that must run on the loop (the engine and memory are not thread-safe): saving, scanning packets.
    private async Task ChoresAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PacketScanInterval, _time);
        var sinceSave = TimeSpan.Zero;
        try
        {
            await _queue.Writer.WriteAsync(new ScanWork(), stoppingToken).ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await _queue.Writer.WriteAsync(new ScanWork(), stoppingToken).ConfigureAwait(false);
                sinceSave += PacketScanInterval;
                if (sinceSave >= SaveInterval)
                {
                    sinceSave = TimeSpan.Zero;
                    await _queue.Writer.WriteAsync(new SaveWork(), stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision matrix: {Count} automatic approvals of the last hour count toward the hourly caps again.")]
    private static partial void LogCapsSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reasoning starts fresh: no learnt state is stored yet.")]
    private static partial void LogFresh(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reasoning state restored: {Subjects} subjects, {Reflections} reflections, {Claims} claim records ({Bytes} bytes).")]
    private static partial void LogRestored(ILogger logger, int subjects, int reflections, int claims, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored reasoning state does not read ({Error}); reasoning starts fresh and the damaged state is kept as memory kind {Kind}.")]
    private static partial void LogStateDamaged(ILogger logger, string error, string kind);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reasoning state saved: {Bytes} bytes, {Subjects} subjects.")]
    private static partial void LogSaved(ILogger logger, int bytes, int subjects);

    [LoggerMessage(Level = LogLevel.Error, Message = "The reasoning state could not be saved; it is tried again at the next save.")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception);
}
