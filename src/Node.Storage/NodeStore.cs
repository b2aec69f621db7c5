using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Node.Storage.Backup;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;
using Node.Storage.Internal;
using Node.Storage.Schema;
using Node.Storage.Writing;

namespace Node.Storage;

/// <summary>
/// The node's knowledge store: one SQLite database, <c>node.db</c>, in the state directory; WAL
/// mode with <c>synchronous=FULL</c>, so a commit survives a power cut, not only a crash.
/// Opening it checks it (<c>quick_check</c>, schema version, the event log's newest entries),
/// migrates it, and holds <c>node.lock</c> so no second process opens it. All writes go through
/// <see cref="Writer"/>; reads go through a <see cref="StoreReader"/> (<see cref="OpenReader"/>).
/// </summary>
public sealed partial class NodeStore : IAsyncDisposable
{
    /// <summary>The database file name.</summary>
    public const string FileName = "node.db";

    /// <summary>The lock file name.</summary>
    public const string LockFileName = "node.lock";

    private readonly SqliteConnection _connection;
    private readonly FileStream _lock;
    private readonly string _readConnectionString;
    private int _disposed;

    private NodeStore(string directory, SqliteConnection connection, FileStream lockFile, StoreWriter writer, byte[] epoch)
    {
        Directory = directory;
        Path = System.IO.Path.Combine(directory, FileName);
        _connection = connection;
        _lock = lockFile;
        Writer = writer;
        Epoch = epoch;
        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
    }

    /// <summary>The state directory.</summary>
    public string Directory { get; }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The single writer.</summary>
    public StoreWriter Writer { get; }

    /// <summary>
    /// This store's epoch: 16 random bytes made when it was created and renewed on restore, so a
    /// peer's remembered receive sequence is only trusted against the same store.
    /// </summary>
    public byte[] Epoch { get; }

    /// <summary>
    /// Opens (creating when missing) the store in <paramref name="directory"/>: locks it, checks it,
    /// migrates it and starts the writer. A new <c>node.db</c> is made with mode 0600 (SQLite's
    /// <c>-wal</c> and <c>-shm</c> copy it); group and other permissions on the directory and the
    /// database's files are taken off, with a warning naming the file and both modes.
    /// </summary>
    /// <param name="directory">The state directory; it must exist.</param>
    /// <param name="options">Check and batching settings.</param>
    /// <param name="time">The clock of event and packet times.</param>
    /// <param name="logger">Where the store logs.</param>
    /// <param name="heartbeat">How the writer reports liveness (a critical loop), or null.</param>
    /// <param name="mustExist">
    /// Refuse (<see cref="StoreProblem.Missing"/>) instead of creating a store when <c>node.db</c> is
    /// missing or empty: for a node that has had a store, an empty one would silently replace its
    /// knowledge and its event log.
    /// </param>
    /// <exception cref="StoreOpenException">The store is locked, damaged, from a newer version, missing where it must exist, one of its files is not a regular file, or its event log does not verify. Nothing was modified.</exception>
    public static NodeStore Open(string directory, StoreOptions options, TimeProvider time, ILogger logger, WriterHeartbeat? heartbeat = null,
        bool mustExist = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var path = System.IO.Path.Combine(directory, FileName);
        RefuseSpecialFiles(directory);
        var lockFile = AcquireLock(directory);
        SqliteConnection? connection = null;
        NodeStore? store = null;
        try
        {
            TightenModes(directory, logger);
            StoreRestoreRecovery.Complete(directory);
            var tail = Check(path, options, mustExist);
            if (!File.Exists(path))
            {
                // SQLite would make it with the umask's mode (0644 outside systemd).
                CreatePrivateFile(path);
            }

            connection = Sql.Open(path, SqliteOpenMode.ReadWriteCreate);
            if (Migrator.ReadVersion(connection) == 0)
            {
                // Must precede the first table; lets maintenance return free pages to the disk.
                Sql.Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL");
            }

            Sql.Execute(connection, "PRAGMA journal_mode = WAL");
            Sql.Execute(connection, "PRAGMA synchronous = FULL");
            Sql.Execute(connection, "PRAGMA busy_timeout = 5000");
            Sql.Execute(connection, "PRAGMA journal_size_limit = 67108864");
            foreach (var pragma in WriterPragmas)
            {
                Sql.Execute(connection, pragma);
            }

            var applied = Migrator.Apply(connection, path, Migrations.Latest);
            var epoch = EnsureEpoch(connection);
            foreach (var step in applied)
            {
                LogMigrated(logger, path, step.Version, step.Name);
            }

            var writer = new StoreWriter(connection, path, tail.HeadSeq, tail.HeadHash, StoreInfo.ReadInt64(connection, StoreInfo.ClockCeiling), time,
                logger, options.MaxBatchSize, heartbeat);
            store = new NodeStore(directory, connection, lockFile, writer, epoch);
            // Written on this thread before the writer's starts: opening never waits on a queued write.
            if (StoreInfo.Read(connection, StoreInfo.RestoredFrom) is { } restoredFrom)
            {
                // The marker goes with the entry that records it, in one transaction.
                var restored = new StoreRestoredEvent(System.Text.Encoding.UTF8.GetString(restoredFrom), tail.HeadSeq);
                writer.WriteBeforeStart(c =>
                {
                    c.DeleteInfo(StoreInfo.RestoredFrom);
                    return c.AppendEvent(restored);
                });
            }

            if (applied.Count > 0)
            {
                var (from, to) = (applied[0].Version - 1, applied[^1].Version);
                writer.WriteBeforeStart(c => from == 0 ? c.AppendEvent(new StoreCreatedEvent(from, to)) : c.AppendEvent(new StoreMigratedEvent(from, to)));
            }

            if (StoreInfo.Read(connection, StoreInfo.RestoredCorrupt) is { } marks)
            {
                // A restore told to keep packets that do not verify: marked before anything can serve them.
                writer.WriteBeforeStart(c =>
                {
                    foreach (var (id, reason) in CorruptMarks.Decode(marks))
                    {
                        c.MarkCorrupt(id, reason, "restore");
                    }

                    c.DeleteInfo(StoreInfo.RestoredCorrupt);
                    return 0;
                });
            }

            writer.Start();
            LogOpened(logger, path, Migrations.Latest, tail.HeadSeq, tail.Verified);
            return store;
        }
        catch (Exception ex)
        {
            if (store is not null)
            {
                store.CloseUnstarted();
            }
            else
            {
                connection?.Dispose();
                lockFile.Dispose();
            }

            if (ex is SqliteException sqlite)
            {
                throw sqlite.SqliteErrorCode is 26 or 11
                    ? Damaged(path, sqlite.Message, sqlite)
                    : new StoreOpenException(StoreProblem.Unreadable, $"{path} cannot be opened: {sqlite.Message}", sqlite);
            }

            if (ex is StoreWriteException write)
            {
                throw new StoreOpenException(StoreProblem.Unreadable, $"{path} cannot be written: {write.Message}", write);
            }

            throw;
        }
    }

    /// <summary>
    /// Settings of the writer's connection beyond durability: a 64 MiB page cache (random 32-byte
    /// ids make index inserts touch pages all over the tree), temporary tables in memory, and a
    /// checkpoint every 10000 WAL pages instead of 1000 (fewer fsyncs of the database file).
    /// </summary>
    public static IReadOnlyList<string> WriterPragmas { get; } =
        ["PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY", "PRAGMA wal_autocheckpoint = 10000"];

    /// <summary>A read-only view of the store on a pooled connection; dispose it after use.</summary>
    /// <exception cref="ObjectDisposedException">The store is closed.</exception>
    public StoreReader OpenReader()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            connection.Open();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new StoreReader(connection, ownsConnection: true);
    }

    /// <summary>
    /// Closes the read connections idle in the pool: each keeps its own page cache (up to 2 MiB)
    /// and its open files, and the pool keeps as many as were reading at once at the busiest
    /// moment. Readers in use are closed when disposed instead of going back to the pool; the next
    /// <see cref="OpenReader"/> opens a connection again. Does nothing once the store is closed.
    /// </summary>
    public void ReleaseIdleReaders()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            SqliteConnection.ClearPool(new SqliteConnection(_readConnectionString));
        }
    }

    /// <summary>Walks the whole event log's hash chain (what <c>nodectl log verify</c> reports).</summary>
    public ChainVerification VerifyEventLog()
    {
        using var reader = OpenReader();
        return reader.Events.Verify();
    }

    // A store whose writer never started (its opening failed): nothing is queued, nothing to wait for.
    private void CloseUnstarted()
    {
        _disposed = 1;
        Writer.DisposeUnstarted();
        _connection.Dispose();
        _lock.Dispose();
    }

    /// <summary>Finishes the queued writes, checkpoints the WAL into the database, and releases the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Writer.DisposeAsync().ConfigureAwait(false);
        try
        {
            Sql.Execute(_connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // A checkpoint is an optimisation; the WAL is replayed at the next open.
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearPool(new SqliteConnection(_readConnectionString));
        await _lock.DisposeAsync().ConfigureAwait(false);
    }

    private static byte[] EnsureEpoch(SqliteConnection connection) =>
        StoreInfo.Read(connection, StoreInfo.Epoch) is { } epoch ? epoch : RenewEpoch(connection);

    internal static byte[] RenewEpoch(SqliteConnection connection)
    {
        var epoch = RandomNumberGenerator.GetBytes(16);
        StoreInfo.Write(connection, StoreInfo.Epoch, epoch);
        return epoch;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Path} migrated to schema {Version} ({Name}).")]
    private static partial void LogMigrated(ILogger logger, string path, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Path} open: schema {Version}, event log head {HeadSeq}, {Verified} newest entries verified.")]
    private static partial void LogOpened(ILogger logger, string path, int version, long headSeq, long verified);
}
