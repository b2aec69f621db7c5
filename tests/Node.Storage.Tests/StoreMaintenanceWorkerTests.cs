using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Node.Storage.Tests;

public sealed class StoreMaintenanceWorkerTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);
    private readonly string _dir = Directory.CreateTempSubdirectory("sovereign-maintenance-test-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly NodeStore _store;

    public StoreMaintenanceWorkerTests()
    {
        _store = NodeStore.Open(_dir, new StoreOptions(), _time, NullLogger<NodeStore>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Free_pages_above_the_threshold_are_returned_to_the_disk_each_interval()
    {
        var store = _store;
        var content = new byte[3000];
        await store.Writer.WriteAsync(c =>
        {
            for (var i = 0; i < 500; i++)
            {
                c.Memory.Insert("SPX", i, "conclusion", content);
            }
        }, TestContext.Current.CancellationToken);
        await store.Writer.WriteAsync(c => c.Memory.DeleteBefore("conclusion", 1000), TestContext.Current.CancellationToken);
        Assert.True(StoreMaintenance.FreePages(store) > 100);
        using var worker = new StoreMaintenanceWorker(_store, Options.Create(new StoreOptions { MaintenanceInterval = Interval, ReclaimAbovePages = 10 }),
            _time, NullLogger<StoreMaintenanceWorker>.Instance);
        await worker.StartAsync(TestContext.Current.CancellationToken);
        var round = worker.NextRoundAsync();

        _time.Advance(Interval);
        await round.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, worker.Rounds);
        Assert.Equal(0, StoreMaintenance.FreePages(store));
        await worker.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_failed_round_is_survived_and_the_next_one_runs()
    {
        // The store is closed: a round fails.
        await _store.DisposeAsync();
        using var worker = new StoreMaintenanceWorker(_store, Options.Create(new StoreOptions { MaintenanceInterval = Interval }),
            _time, NullLogger<StoreMaintenanceWorker>.Instance);
        await worker.StartAsync(TestContext.Current.CancellationToken);

        var first = worker.NextRoundAsync();
        _time.Advance(Interval);
        await first.WaitAsync(TestContext.Current.CancellationToken);
        var second = worker.NextRoundAsync();
        _time.Advance(Interval);
        await second.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, worker.Rounds);
        Assert.False(worker.ExecuteTask!.IsFaulted);
        await worker.StopAsync(TestContext.Current.CancellationToken);
    }
}
