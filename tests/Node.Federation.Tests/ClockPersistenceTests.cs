using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Clock;
using Node.Storage;

namespace Node.Federation.Tests;

/// <summary>The clock's ceiling in a real store: timestamps keep growing across a restart, even when the wall clock went back.</summary>
public sealed class ClockPersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovereign-clock-test-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class Fixed(long unixMilliseconds) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
    }

    private static HybridClock Clock(NodeStore store, TimeProvider time) =>
        new(time, store.Writer.ClockCeiling, store.Writer.RaiseClockCeiling);

    [Fact]
    public async Task After_a_restart_with_the_wall_clock_set_back_timestamps_still_grow()
    {
        HybridTimestamp last;
        await using (var store = NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance))
        {
            var clock = Clock(store, new Fixed(1_800_000_000_000));
            clock.Now();
            last = clock.Now();
        }

        await using (var store = NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance))
        {
            var clock = Clock(store, new Fixed(1_700_000_000_000)); // the battery-less clock came back wrong

            Assert.True(clock.Now() > last);
        }
    }

    [Fact]
    public async Task Timestamps_past_the_ceiling_are_issued_while_the_writer_is_busy_and_their_ceiling_is_stored_with_the_next_write()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        await using var store = NodeStore.Open(_dir, new StoreOptions(), time, NullLogger.Instance);
        var clock = Clock(store, time);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = store.Writer.WriteAsync(_ =>
        {
            inside.SetResult();
            release.Task.GetAwaiter().GetResult(); // holds the writer's own thread
        }, TestContext.Current.CancellationToken);
        await inside.Task.WaitAsync(TestContext.Current.CancellationToken);

        // Each crosses the ceiling: a clock that waited for the writer would never return.
        var issued = new List<HybridTimestamp>();
        await Task.Run(() =>
        {
            for (var lease = 0; lease < 5; lease++)
            {
                time.Advance(clock.Lease);
                issued.Add(clock.Now());
            }
        }, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        release.SetResult();
        await busy;
        await store.Writer.WriteAsync(c => c.Memory.Insert("", time.GetUtcNow().ToUnixTimeMilliseconds(), "test.stamped", []), TestContext.Current.CancellationToken);

        Assert.True(store.Writer.ClockCeiling > issued.Max().UnixMilliseconds, $"ceiling {store.Writer.ClockCeiling}, issued up to {issued.Max()}");
    }
}
