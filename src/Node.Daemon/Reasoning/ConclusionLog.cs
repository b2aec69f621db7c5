using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Reasoning;
using Node.Storage;

namespace Node.Daemon.Reasoning;

/// <summary>
/// Persists the pipeline's conclusions into the <c>memory</c> table (kind <c>conclusion</c>) off the pipeline's
/// thread: <see cref="Enqueue"/> never blocks, and a background writer stores what is queued in batches, one
/// transaction per batch. When the queue is full the conclusion is dropped and counted (<see cref="Dropped"/>),
/// with a warning: memory is a record, never a reason to slow reasoning down.
/// </summary>
/// <remarks>
/// A row: <c>subject</c>; <c>time</c> = when the node reached the conclusion, Unix ms (the schema's unit, which
/// retention and the daily summaries go by); <c>content</c> = compact JSON <c>{"claim", "direction",
/// "confidence", "decision_type", "observed"}</c>, <c>observed</c> being the observation's own time, Unix seconds.
/// </remarks>
internal sealed partial class ConclusionLog(NodeStore store, ILogger<ConclusionLog> logger) : BackgroundService
{
    /// <summary>The <c>memory.kind</c> of a conclusion row.</summary>
    public const string Kind = "conclusion";

    /// <summary>Conclusions queued at most; past it new ones are dropped.</summary>
    public const int Capacity = 8192;

    /// <summary>Most rows written in one transaction.</summary>
    public const int MaxBatch = 512;

    private readonly Channel<Row> _queue = Channel.CreateBounded<Row>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long _dropped;
    private long _droppedReported;
    private long _written;

    /// <summary>Conclusions dropped because the queue was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Conclusion rows committed since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>
    /// Queues <paramref name="conclusion"/> of <paramref name="subject"/>, reached at <paramref name="time"/>; never blocks.
    /// A conclusion without a claim is not memory and is ignored.
    /// </summary>
    /// <returns>True when queued; false when ignored (no claim) or dropped (queue full, counted).</returns>
    public bool Enqueue(string subject, in Conclusion conclusion, DateTimeOffset time)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        if (!conclusion.HasClaim)
        {
            return false;
        }

        if (_queue.Writer.TryWrite(new Row(subject, time.ToUnixTimeMilliseconds(), Content(conclusion))))
        {
            return true;
        }

        if (Interlocked.Increment(ref _dropped) == 1)
        {
            LogFirstDrop(logger, Capacity);
        }

        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Row>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var row))
                {
                    batch.Add(row);
                }

                await WriteAsync(batch, stoppingToken).ConfigureAwait(false);
                batch.Clear();
                ReportDrops();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(List<Row> batch, CancellationToken cancellationToken)
    {
        try
        {
            await store.Writer.WriteAsync(context =>
            {
                foreach (var row in batch)
                {
                    context.Memory.Insert(row.Subject, row.Time, Kind, row.Content);
                }
            }, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _written, batch.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Lost, like a dropped one: the next batch may well succeed.
            Interlocked.Add(ref _dropped, batch.Count);
            LogWriteFailed(logger, batch.Count, e);
        }
    }

    // One warning per stretch of drops, with the running count, rather than one per conclusion.
    private void ReportDrops()
    {
        var dropped = Dropped;
        if (dropped > _droppedReported)
        {
            LogDropped(logger, dropped - _droppedReported, dropped);
            _droppedReported = dropped;
        }
    }

    private static byte[] Content(in Conclusion conclusion)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("claim", ReasoningNames.Of(conclusion.Claim));
            json.WriteNumber("direction", conclusion.Direction);
            if (double.IsFinite(conclusion.Confidence))
            {
                json.WriteNumber("confidence", conclusion.Confidence);
            }
            else
            {
                json.WriteNull("confidence");
            }

            if (conclusion.DecisionType is { } type)
            {
                json.WriteString("decision_type", type);
            }
            else
            {
                json.WriteNull("decision_type");
            }

            json.WriteNumber("observed", conclusion.Time);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conclusion memory queue full ({Capacity}): conclusions are being dropped.")]
    private static partial void LogFirstDrop(ILogger logger, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} conclusions were not stored in memory ({Total} since start).")]
    private static partial void LogDropped(ILogger logger, long count, long total);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} conclusions could not be written to memory.")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);

    private sealed record Row(string Subject, long Time, byte[] Content);
}
