using System.Text;
using Microsoft.Extensions.Time.Testing;
using Node.Storage.Events;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Start.AddDays(10);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start.AddDays(30));
    private NodeStore _store = null!;

    public ValueTask InitializeAsync()
    {
        _store = TestStore.Open(_directory.Path, _time);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Deleting_one_subjects_memory_removes_only_its_rows_older_than_the_cutoff()
    {
        // Per subject: days 5 and 9 are older than the cutoff (day 10); day 10 itself and day 20 are not.
        await AddMemoryAsync(("alpha", 5), ("alpha", 9), ("alpha", 10), ("alpha", 20), ("beta", 5), ("beta", 20));

        var removed = await StoreMaintenance.DeleteMemoryBeforeAsync(_store, Cutoff, "alpha", TestContext.Current.CancellationToken);

        Assert.Equal(2, removed);
        Assert.Equal(["alpha 10", "alpha 20", "beta 5", "beta 20"], Memory());
        var compacted = LastEvent();
        Assert.Equal(EventKinds.MemoryCompacted, compacted.Kind);
        Assert.Equal($$"""{"before":{{Cutoff.ToUnixTimeMilliseconds()}},"subject":"alpha","removed":2}""", Encoding.UTF8.GetString(compacted.Payload));
        Assert.True(_store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task Deleting_all_memory_before_a_cutoff_spares_every_newer_row()
    {
        await AddMemoryAsync(("alpha", 5), ("alpha", 20), ("beta", 1), ("beta", 9), ("gamma", 10));

        var removed = await StoreMaintenance.DeleteMemoryBeforeAsync(_store, Cutoff, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3, removed);
        Assert.Equal(["alpha 20", "gamma 10"], Memory());
        Assert.Equal($$"""{"before":{{Cutoff.ToUnixTimeMilliseconds()}},"subject":null,"removed":3}""", Encoding.UTF8.GetString(LastEvent().Payload));
    }

    [Fact]
    public async Task Deleting_when_nothing_is_old_enough_changes_nothing_and_logs_nothing()
    {
        await AddMemoryAsync(("alpha", 20));
        var head = LastEvent().Seq;

        Assert.Equal(0, await StoreMaintenance.DeleteMemoryBeforeAsync(_store, Cutoff, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(["alpha 20"], Memory());
        Assert.Equal(head, LastEvent().Seq);
    }

    [Fact]
    public async Task Reclaiming_returns_the_pages_freed_by_a_deletion()
    {
        var rows = Enumerable.Range(0, 400).Select(i => ("bulk", 1 + (i % 5))).ToArray();
        await AddMemoryAsync(rows);
        await StoreMaintenance.DeleteMemoryBeforeAsync(_store, Cutoff, cancellationToken: TestContext.Current.CancellationToken);
        var free = StoreMaintenance.FreePages(_store);
        Assert.True(free > 50, $"only {free} free pages after deleting {rows.Length} rows of 4 KB");

        await StoreMaintenance.ReclaimAsync(_store, 10, TestContext.Current.CancellationToken);
        Assert.Equal(free - 10, StoreMaintenance.FreePages(_store));

        await StoreMaintenance.ReclaimAsync(_store, int.MaxValue, TestContext.Current.CancellationToken);
        Assert.Equal(0, StoreMaintenance.FreePages(_store));
        using var reader = _store.OpenReader();
        Assert.Equal("ok", TestStore.QuickCheck(reader));
        Assert.True(_store.VerifyEventLog().IsIntact);
    }

    private Task AddMemoryAsync(params (string Subject, int Day)[] rows) =>
        _store.Writer.WriteAsync(c =>
        {
            foreach (var (subject, day) in rows)
            {
                var insert = c.Command("INSERT INTO memory (subject, time, kind, content) VALUES ($subject, $time, 'conclusion', $content)");
                insert.Parameters.AddWithValue("$subject", subject);
                insert.Parameters.AddWithValue("$time", Start.AddDays(day).ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$content", new byte[4096]);
                insert.ExecuteNonQuery();
            }
        }, TestContext.Current.CancellationToken);

    // Each row as "subject day", ordered.
    private List<string> Memory()
    {
        using var reader = _store.OpenReader();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT subject, time FROM memory ORDER BY subject, time";
        using var rows = command.ExecuteReader();
        var memory = new List<string>();
        while (rows.Read())
        {
            memory.Add($"{rows.GetString(0)} {(DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(1)) - Start).Days}");
        }

        return memory;
    }

    private EventEntry LastEvent()
    {
        using var reader = _store.OpenReader();
        return EventLog.Head(reader)!;
    }
}
