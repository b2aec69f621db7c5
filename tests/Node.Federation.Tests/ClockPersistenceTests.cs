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
        new(time, StoreInfo.ReadInt64(store, StoreInfo.ClockCeiling),
            ceiling => StoreInfo.WriteInt64Async(store, StoreInfo.ClockCeiling, ceiling).GetAwaiter().GetResult());

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
}
