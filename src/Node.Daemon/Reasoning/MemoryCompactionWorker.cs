using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Federation.Clock;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Packets;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;

namespace Node.Daemon.Reasoning;

/// <summary>
/// Summarises and compacts the reasoning memory every <see cref="MemoryOptions.CompactionInterval"/>: for each
/// subject and each UTC day before today with conclusion rows not yet summarised, one summary packet (kind summary,
/// topic <c>memory/&lt;subject&gt;</c>, key <c>yyyy-MM-dd</c>); then, in one write, the conclusion rows older than
/// <see cref="MemoryOptions.Retention"/> are deleted and a <c>memory.compacted</c> event is appended.
/// </summary>
/// <remarks>
/// Idempotent: a day whose summary slot already holds our summary is not summarised again. Summaries are written
/// before anything is deleted, and nothing is deleted in a run where a summary could not be stored.
/// </remarks>
internal sealed partial class MemoryCompactionWorker(NodeStore store, LocalPackets packets, IdentityHost identity, HybridClock clock,
    IOptions<MemoryOptions> options, TimeProvider time, ILogger<MemoryCompactionWorker> logger) : BackgroundService
{
    /// <summary>The topic prefix of memory summaries; the subject follows it.</summary>
    public const string TopicPrefix = "memory/";

    private const long DayMs = 86_400_000;

    // Made with the worker, not in ExecuteAsync: a fake clock advanced right after StartAsync must not race it.
    private readonly PeriodicTimer _timer = new(options.Value.CompactionInterval, time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // A node restarted more often than the interval must still compact: when the last run (its event) is
            // overdue by now, run once at start; the regular ticks follow.
            if (Overdue())
            {
                await RunGuardedAsync(stoppingToken).ConfigureAwait(false);
            }

            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunGuardedAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunGuardedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRunFailed(logger, e); // one bad run must not stop the schedule
        }
    }

    // Only a store that has compacted before can be overdue: a new one starts its schedule from now.
    private bool Overdue()
    {
        using var reader = store.OpenReader();
        return reader.Events.LastOfKind(EventKinds.MemoryCompacted) is { } last
            && DateTimeOffset.FromUnixTimeMilliseconds(last.Time) + options.Value.CompactionInterval <= time.GetUtcNow();
    }

    /// <summary>One compaction run: summaries of past days, then retention, then the event.</summary>
    /// <returns>What it did.</returns>
    public async Task<CompactionResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = now.ToUnixTimeMilliseconds() / DayMs * DayMs;
        var cutoffAt = now - options.Value.Retention;
        var cutoff = cutoffAt.ToUnixTimeMilliseconds();
        var days = PendingDays(today);

        var subjects = new HashSet<string>(StringComparer.Ordinal);
        var failed = 0;
        foreach (var day in days)
        {
            var result = await packets.PutAsync(Summary(day), cancellationToken).ConfigureAwait(false);
            if (result.Outcome is IntakeOutcome.Stored or IntakeOutcome.Duplicate or IntakeOutcome.Repaired)
            {
                subjects.Add(day.Subject);
            }
            else
            {
                failed++;
                LogSummaryRefused(logger, day.Subject, DayKey(day.Day), result.Outcome);
            }
        }

        var summarised = days.Count - failed;
        if (failed > 0)
        {
            // Deleting now could remove rows whose day has no summary: keep them for the next run.
            LogRun(logger, summarised, subjects.Count, 0, cutoffAt);
            return new CompactionResult(subjects.Count, summarised, 0, failed);
        }

        var removed = await store.Writer.WriteAsync(context =>
        {
            var rows = context.Memory.DeleteBefore(ConclusionLog.Kind, cutoff);
            context.AppendEvent(new MemoryCompactedEvent(subjects.Count, summarised, rows, cutoff));
            return rows;
        }, cancellationToken).ConfigureAwait(false);

        LogRun(logger, summarised, subjects.Count, removed, cutoffAt);
        return new CompactionResult(subjects.Count, summarised, removed, 0);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    // Every (subject, day) before today with conclusion rows and no summary of ours yet, with its tallies.
    private List<DaySummary> PendingDays(long today)
    {
        using var reader = store.OpenReader();
        var days = new List<DaySummary>();
        foreach (var tally in reader.Memory.DailyTallies(ConclusionLog.Kind, today))
        {
            if (days.Count == 0 || days[^1].Subject != tally.Subject || days[^1].Day != tally.Day)
            {
                days.Add(new DaySummary(tally.Subject, tally.Day));
            }

            days[^1].Add(tally.Claim, tally.Direction, tally.Count, tally.ConfidenceSum, tally.Confidences, tally.First, tally.Last);
        }

        // A day summarised under an id this node rotated away from is summarised all the same.
        var own = identity.OwnIds.ToList();
        return days.Where(d => !own.Any(self => reader.Packets.Fills(TopicPrefix + d.Subject, DayKey(d.Day), "summary", self))).ToList();
    }

    private PacketBody Summary(DaySummary day)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("subject", day.Subject);
            json.WriteString("day", DayKey(day.Day));
            json.WriteNumber("conclusions", day.Count);
            if (day.Confidences > 0)
            {
                json.WriteNumber("mean_confidence", day.ConfidenceSum / day.Confidences);
            }
            else
            {
                json.WriteNull("mean_confidence");
            }

            json.WriteNumber("first", day.First);
            json.WriteNumber("last", day.Last);
            json.WriteStartArray("claims");
            foreach (var (claim, direction, count) in day.Claims)
            {
                json.WriteStartObject();
                json.WriteString("claim", claim);
                json.WriteNumber("direction", direction);
                json.WriteNumber("count", count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new PacketBody
        {
            Author = identity.Identity.Id.ToString(),
            Topic = TopicPrefix + day.Subject,
            Key = DayKey(day.Day),
            Kind = PacketKind.Summary,
            MediaType = "application/json",
            Content = ByteString.CopyFrom(buffer.WrittenSpan),
            Scope = ShareScope.Local,
            Hlc = clock.Now().Value,
        };
    }

    private static string DayKey(long dayStartMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(dayStartMs).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Memory compaction: {Days} subject-days summarised over {Subjects} subjects; {Removed} conclusion rows before {Cutoff:O} removed.")]
    private static partial void LogRun(ILogger logger, int days, int subjects, long removed, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory summary of {Subject} for {Day} was not stored ({Outcome}); nothing is deleted this run.")]
    private static partial void LogSummaryRefused(ILogger logger, string subject, string day, IntakeOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory compaction failed; retrying next interval.")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    private sealed class DaySummary(string subject, long day)
    {
        public string Subject { get; } = subject;

        public long Day { get; } = day;

        public long Count { get; private set; }

        public double ConfidenceSum { get; private set; }

        public long Confidences { get; private set; }

        public long First { get; private set; } = long.MaxValue;

        public long Last { get; private set; } = long.MinValue;

        public List<(string Claim, int Direction, long Count)> Claims { get; } = [];

        public void Add(string claim, int direction, long count, double confidenceSum, long confidences, long first, long last)
        {
            Claims.Add((claim, direction, count));
            Count += count;
            ConfidenceSum += confidenceSum;
            Confidences += confidences;
            First = Math.Min(First, first);
            Last = Math.Max(Last, last);
        }
    }
}

/// <summary>What one memory compaction run did.</summary>
/// <param name="Subjects">Subjects that got at least one summary.</param>
/// <param name="DaysSummarised">Subject-days summarised (one packet each).</param>
/// <param name="RowsRemoved">Conclusion rows deleted past retention.</param>
/// <param name="SummariesFailed">Summaries that could not be stored (then nothing was deleted).</param>
internal sealed record CompactionResult(int Subjects, int DaysSummarised, long RowsRemoved, int SummariesFailed);
