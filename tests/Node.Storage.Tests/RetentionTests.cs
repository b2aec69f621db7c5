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
    public async Task Deleting_a_kinds_rows_before_a_cutoff_spares_newer_rows_and_other_kinds()
    {
        await AddMemoryAsync(("alpha", 5), ("alpha", 20), ("beta", 1), ("beta", 9), ("gamma", 10));
        await AddMemoryAsync("reasoning.state", ("", 1));

        var removed = await DeleteBeforeAsync(Cutoff);

        Assert.Equal(3, removed);
        Assert.Equal([" 1", "alpha 20", "gamma 10"], Memory());
    }

    [Fact]
    public async Task Deleting_when_nothing_is_old_enough_changes_nothing_and_logs_nothing()
    {
        await AddMemoryAsync(("alpha", 20));
        var head = LastEvent().Seq;

        Assert.Equal(0, await DeleteBeforeAsync(Cutoff));

        Assert.Equal(["alpha 20"], Memory());
        Assert.Equal(head, LastEvent().Seq);
    }

    [Fact]
    public async Task Reclaiming_returns_the_pages_freed_by_a_deletion()
    {
        var rows = Enumerable.Range(0, 400).Select(i => ("bulk", 1 + (i % 5))).ToArray();
        await AddMemoryAsync(rows);
        await DeleteBeforeAsync(Cutoff);
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

    private Task<long> DeleteBeforeAsync(DateTimeOffset cutoff) =>
        _store.Writer.WriteAsync(c => c.Memory.DeleteBefore("conclusion", cutoff.ToUnixTimeMilliseconds()), TestContext.Current.CancellationToken);

    private Task AddMemoryAsync(params (string Subject, int Day)[] rows) => AddMemoryAsync("conclusion", rows);

    private Task AddMemoryAsync(string kind, params (string Subject, int Day)[] rows) =>
        _store.Writer.WriteAsync(c =>
        {
            foreach (var (subject, day) in rows)
            {
                c.Memory.Insert(subject, Start.AddDays(day).ToUnixTimeMilliseconds(), kind, new byte[4096]);
            }
        }, TestContext.Current.CancellationToken);

    // Each row as "subject day", ordered.
    private List<string> Memory()
    {
        using var reader = _store.OpenReader();
        return [.. new[] { "conclusion", "reasoning.state" }.SelectMany(reader.Memory.Rows)
            .Select(r => $"{r.Subject} {(DateTimeOffset.FromUnixTimeMilliseconds(r.Time) - Start).Days}").Order(StringComparer.Ordinal)];
    }

    private EventEntry LastEvent()
    {
        using var reader = _store.OpenReader();
        return reader.Events.Head()!;
    }
}
