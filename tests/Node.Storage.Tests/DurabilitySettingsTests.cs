using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Storage.Events;

namespace Node.Storage.Tests;

/// <summary>
/// What the crash tests cannot see: a SIGKILL leaves the page cache, so even synchronous=OFF
/// would pass them. The settings that make a commit survive a power cut are checked directly.
/// </summary>
public sealed class DurabilitySettingsTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovereign-durability-test-").FullName;

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_writer_commits_in_WAL_mode_with_synchronous_FULL()
    {
        await using var store = NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance);

        var synchronous = await store.Writer.WriteAsync(c => (long)c.Command("PRAGMA synchronous").ExecuteScalar()!, TestContext.Current.CancellationToken);
        using var reader = store.OpenReader();
        using var mode = reader.Connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";

        Assert.Equal(2L, synchronous); // FULL
        Assert.Equal("wal", (string)mode.ExecuteScalar()!);
    }

    [Fact]
    public async Task The_event_log_refuses_updates_and_deletes_from_the_node_itself()
    {
        await using var store = NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance);

        var update = await Assert.ThrowsAsync<SqliteException>(() => store.Writer.WriteAsync(
            c => c.Command("UPDATE events SET kind = 'x' WHERE seq = 1").ExecuteNonQuery(), TestContext.Current.CancellationToken));
        var delete = await Assert.ThrowsAsync<SqliteException>(() => store.Writer.WriteAsync(
            c => c.Command("DELETE FROM events").ExecuteNonQuery(), TestContext.Current.CancellationToken));

        Assert.Contains("the event log is append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("the event log is append-only", delete.Message, StringComparison.Ordinal);
        Assert.True(store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task A_returned_entry_cannot_change_the_writers_head()
    {
        await using var store = NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance);

        var entry = await store.Writer.WriteAsync(c => c.AppendEvent("test.one", "1"u8), TestContext.Current.CancellationToken);
        entry.Hash[0] ^= 0xFF;
        await store.Writer.WriteAsync(c => c.AppendEvent("test.two", "2"u8), TestContext.Current.CancellationToken);

        Assert.True(store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task A_forged_entry_before_the_first_is_found_by_a_full_verification()
    {
        await NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance).DisposeAsync();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, NodeStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var forge = connection.CreateCommand();
            forge.CommandText = "INSERT INTO events (seq, time, kind, payload, prev_hash, hash) VALUES (0, 0, 'forged', x'', zeroblob(32), zeroblob(32))";
            forge.ExecuteNonQuery();
        }

        using var reader = new SqliteConnection($"Data Source={Path.Combine(_dir, NodeStore.FileName)};Mode=ReadOnly;Pooling=False");
        reader.Open();
        var result = EventLog.Verify(reader);

        Assert.Equal(0, result.FirstBadSeq);
    }

    [Fact]
    public void An_interrupted_restore_is_finished_by_the_next_open()
    {
        // The state a power cut leaves after the restore marked its checked staging copy ready:
        // the old database with its write-ahead log, the staging copy, the marker.
        var target = Path.Combine(_dir, NodeStore.FileName);
        File.WriteAllText(target, "old database");
        File.WriteAllText(target + "-wal", "old log");
        File.WriteAllText(StoreRestoreRecovery.Staging(_dir), "restored database");
        StoreRestoreRecovery.MarkReady(_dir);

        StoreRestoreRecovery.Complete(_dir);

        Assert.Equal("restored database", File.ReadAllText(target));
        Assert.False(File.Exists(target + "-wal"), "The old log must not be replayed onto the restored database.");
        Assert.False(File.Exists(StoreRestoreRecovery.Staging(_dir)));
        Assert.False(File.Exists(Path.Combine(_dir, StoreRestoreRecovery.MarkerName)));
    }

    [Fact]
    public void A_missing_database_beside_its_log_is_refused_not_recreated()
    {
        File.WriteAllText(Path.Combine(_dir, NodeStore.FileName + "-wal"), "a log without its database");

        var refused = Assert.Throws<StoreOpenException>(() => NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance));

        Assert.Equal(StoreProblem.Unreadable, refused.Problem);
        Assert.Contains("is missing but its write-ahead log", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, NodeStore.FileName)));
    }
}
