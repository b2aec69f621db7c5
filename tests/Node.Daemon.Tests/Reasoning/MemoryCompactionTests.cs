using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Reasoning;
using Node.Daemon.Tests.Support;
using Node.Federation;
using Node.Federation.Clock;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Packets;
using Node.Reasoning;
using Node.Reasoning.Findings;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Packets;

namespace Node.Daemon.Tests.Reasoning;

/// <summary>Conclusions persisted by the ConclusionLog, summarised per subject-day and compacted, on a real store with a fake clock.</summary>
public sealed class MemoryCompactionTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(5);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly NodeStore _store;
    private readonly IdentityHost _identity;
    private readonly ServiceProvider _services;

    public MemoryCompactionTests()
    {
        _store = NodeStore.Open(_dir.Path, new StoreOptions(), _time, NullLogger<NodeStore>.Instance);
        _identity = IdentityHost.LoadOrCreate(_dir.Path, NullLogger<IdentityHost>.Instance);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(_store);
        services.AddNodeIdentity(_identity);
        services.AddSingleton(sp => new HybridClock(_time, 0, _ => { }));
        services.AddSingleton<LocalPackets>();
        services.AddSingleton(Options.Create(new MemoryOptions { Retention = Retention }));
        services.AddSingleton<ConclusionLog>();
        services.AddSingleton<MemoryCompactionWorker>();
        _services = services.BuildServiceProvider();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private NodeStore Store => _store;

    private MemoryCompactionWorker Worker => _services.GetRequiredService<MemoryCompactionWorker>();

    [Fact]
    public async Task Past_days_are_summarised_per_subject_old_rows_removed_and_a_second_run_adds_nothing()
    {
        var day1 = new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero); // older than retention (cutoff 5 March, noon)
        var day2 = new DateTimeOffset(2026, 3, 8, 9, 0, 0, TimeSpan.Zero); // within retention
        var today = Now - TimeSpan.FromHours(2);
        await PersistAsync(
            ("SPX", day1, FindingKind.Trend, 1, 0.6), ("SPX", day1.AddHours(1), FindingKind.Trend, 1, 0.8),
            ("SPX", day1.AddHours(2), FindingKind.BreakoutUp, 1, 0.7), ("SPX", day2, FindingKind.Trend, -1, 0.5),
            ("SPX", today, FindingKind.Trend, 1, 0.9),
            ("node", day1, FindingKind.ResourcePressure, 1, 0.75), ("node", day2, FindingKind.ResourcePressure, 1, 0.65),
            ("node", day2.AddMinutes(30), FindingKind.ResourceRecovered, -1, 0.55));

        var first = await Worker.RunOnceAsync(Token);

        Assert.Equal(new CompactionResult(Subjects: 2, DaysSummarised: 4, RowsRemoved: 4, SummariesFailed: 0), first);
        Assert.Equal(["memory/SPX 2026-03-03", "memory/SPX 2026-03-08", "memory/node 2026-03-03", "memory/node 2026-03-08"], SummarySlots());
        using (var spx = Summary("memory/SPX", "2026-03-03"))
        {
            var root = spx.RootElement;
            Assert.Equal("SPX", root.GetProperty("subject").GetString());
            Assert.Equal(3, root.GetProperty("conclusions").GetInt32());
            Assert.Equal(0.7, root.GetProperty("mean_confidence").GetDouble(), 1e-12);
            Assert.Equal(day1.ToUnixTimeMilliseconds(), root.GetProperty("first").GetInt64());
            Assert.Equal(day1.AddHours(2).ToUnixTimeMilliseconds(), root.GetProperty("last").GetInt64());
            Assert.Equal(["breakout_up 1 1", "trend 1 2"], Claims(root));
        }

        using (var node = Summary("memory/node", "2026-03-08"))
        {
            Assert.Equal(["resource_pressure 1 1", "resource_recovered -1 1"], Claims(node.RootElement));
        }

        // The rows of 3 March (older than retention) are gone; 8 March and today stay.
        Assert.Equal([("SPX", day2), ("SPX", today), ("node", day2), ("node", day2.AddMinutes(30))], MemoryRows());
        var compacted = LastCompacted();
        Assert.Equal("""{"subjects":2,"days":4,"removed":4,"before":""" + (Now - Retention).ToUnixTimeMilliseconds() + "}",
            Encoding.UTF8.GetString(compacted.Payload));

        var second = await Worker.RunOnceAsync(Token);

        Assert.Equal(new CompactionResult(0, 0, 0, 0), second);
        Assert.Equal(4, SummarySlots().Count);
        Assert.Equal(4, MemoryRows().Count);
        Assert.True(LastCompacted().Seq > compacted.Seq);
        Assert.True(Store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task The_worker_runs_when_the_interval_elapses()
    {
        await PersistAsync(("SPX", Now - TimeSpan.FromDays(1), FindingKind.Trend, 1, 0.6));
        await Worker.StartAsync(Token);
        Assert.Empty(SummarySlots()); // a store that never compacted waits a whole interval

        var committed = Store.Writer.Committed.Next;
        _time.Advance(new MemoryOptions().CompactionInterval);
        await UntilAsync(committed, () => SummarySlots().Count > 0);

        Assert.Equal(["memory/SPX 2026-03-09"], SummarySlots());
        await Worker.StopAsync(Token);
    }

    [Fact]
    public async Task A_compaction_overdue_at_start_runs_at_once()
    {
        await Worker.RunOnceAsync(Token); // the last run, a day and an hour before the next start
        _time.Advance(new MemoryOptions().CompactionInterval + TimeSpan.FromHours(1));
        await PersistAsync(("SPX", _time.GetUtcNow() - TimeSpan.FromDays(1), FindingKind.Trend, 1, 0.6));

        var committed = Store.Writer.Committed.Next;
        await Worker.StartAsync(Token);
        await UntilAsync(committed, () => SummarySlots().Count > 0);

        Assert.Equal(["memory/SPX 2026-03-10"], SummarySlots());
        await Worker.StopAsync(Token);
    }

    // Re-checks after each commit of the store (a compaction run ends with one); the signal is taken before the check.
    private async Task UntilAsync(Task committed, Func<bool> condition)
    {
        while (!condition())
        {
            await committed.WaitAsync(TimeSpan.FromSeconds(10), Token);
            committed = Store.Writer.Committed.Next;
        }
    }

    [Fact]
    public async Task Conclusions_without_a_claim_are_not_memory_and_a_full_queue_drops_and_counts()
    {
        var log = _services.GetRequiredService<ConclusionLog>();

        Assert.False(log.Enqueue("SPX", default, Now));
        for (var i = 0; i < ConclusionLog.Capacity; i++)
        {
            Assert.True(log.Enqueue("SPX", Conclusion(FindingKind.Trend, 1, 0.5), Now));
        }

        Assert.False(log.Enqueue("SPX", Conclusion(FindingKind.Trend, 1, 0.5), Now));
        Assert.Equal(1, log.Dropped);
    }

    [Fact]
    public void Bad_intervals_and_retentions_are_refused_naming_the_key()
    {
        var validator = new MemoryOptionsValidator();
        Assert.True(validator.Validate(null, new MemoryOptions()).Succeeded);
        Assert.Equal("Reasoning:Memory:CompactionInterval must be between 00:01:00 and 7.00:00:00; was 00:00:10.",
            validator.Validate(null, new MemoryOptions { CompactionInterval = TimeSpan.FromSeconds(10) }).FailureMessage);
        Assert.Equal("Reasoning:Memory:Retention must be between 1.00:00:00 and 3650.00:00:00; was 01:00:00.",
            validator.Validate(null, new MemoryOptions { Retention = TimeSpan.FromHours(1) }).FailureMessage);
    }

    [Fact]
    public async Task A_retention_under_a_day_stops_the_daemon_at_start_naming_the_key()
    {
        var error = new StringWriter();

        var code = await InProcessDaemon.RunAsync(_dir.Path, new Dictionary<string, string?>(), ["--set", "Reasoning:Memory:Retention=00:30:00"],
            error: error, stoppingToken: Token);

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Contains("Reasoning:Memory:Retention must be between 1.00:00:00 and 3650.00:00:00; was 00:30:00.", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not a known setting", error.ToString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _store.DisposeAsync();
        _identity.Dispose();
        _dir.Dispose();
    }

    private async Task PersistAsync(params (string Subject, DateTimeOffset At, FindingKind Claim, int Direction, double Confidence)[] rows)
    {
        var log = _services.GetRequiredService<ConclusionLog>();
        await log.StartAsync(Token);
        var before = MemoryRows().Count;
        var committed = Store.Writer.Committed.Next;
        foreach (var row in rows)
        {
            Assert.True(log.Enqueue(row.Subject, Conclusion(row.Claim, row.Direction, row.Confidence), row.At));
        }

        // The rows are visible once committed, before the commit signal: re-check after each commit.
        while (MemoryRows().Count < before + rows.Length)
        {
            await committed.WaitAsync(TimeSpan.FromSeconds(10), Token);
            committed = Store.Writer.Committed.Next;
        }

        await log.StopAsync(Token);
    }

    private static Conclusion Conclusion(FindingKind claim, int direction, double confidence) =>
        new(1_700_000_000, true, claim, direction, confidence, 0, default, false, null);

    private List<string> SummarySlots()
    {
        using var reader = Store.OpenReader();
        return [.. reader.Packets.After(new PacketFilter(Kind: "summary"), 0, int.MaxValue).Select(p => $"{p.Packet.Topic} {p.Packet.Key}")
            .Order(StringComparer.Ordinal)];
    }

    private JsonDocument Summary(string topic, string key)
    {
        using var reader = Store.OpenReader();
        var stored = Assert.Single(reader.Packets.BySlot(topic, key));
        var body = PacketBody.Parser.ParseFrom(Envelope.Parser.ParseFrom(stored.Packet.Envelope).Payload);
        Assert.Equal(PacketKind.Summary, body.Kind);
        Assert.Equal("application/json", body.MediaType);
        return JsonDocument.Parse(body.Content.Memory);
    }

    private static string[] Claims(JsonElement summary) =>
        [.. summary.GetProperty("claims").EnumerateArray()
            .Select(c => $"{c.GetProperty("claim").GetString()} {c.GetProperty("direction").GetInt32()} {c.GetProperty("count").GetInt32()}")];

    private List<(string, DateTimeOffset)> MemoryRows()
    {
        using var reader = Store.OpenReader();
        return [.. reader.Memory.Rows(ConclusionLog.Kind).OrderBy(r => r.Subject, StringComparer.Ordinal).ThenBy(r => r.Time)
            .Select(r => (r.Subject, DateTimeOffset.FromUnixTimeMilliseconds(r.Time)))];
    }

    private EventEntry LastCompacted()
    {
        using var reader = Store.OpenReader();
        return reader.Events.LastOfKind(EventKinds.MemoryCompacted) ?? throw new InvalidOperationException("no memory.compacted event");
    }
}
