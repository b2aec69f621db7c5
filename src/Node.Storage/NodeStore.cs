using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Node.Storage.Events;
using Node.Storage.Schema;
using Node.Storage.Writing;

namespace Node.Storage;

/// <summary>
/// The node's knowledge store: one SQLite database, <c>node.db</c>, in the state directory; WAL
/// mode with <c>synchronous=FULL</c>, so a commit survives a power cut, not only a crash.
/// Opening it checks it (<c>quick_check</c>, schema version, the event log's newest entries),
/// migrates it, and holds <c>node.lock</c> so no second process opens it. All writes go through
/// <see cref="Writer"/>; reads use their own connections (<see cref="OpenReader"/>).
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
    /// migrates it and starts the writer.
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
    /// <exception cref="StoreOpenException">The store is locked, damaged, from a newer version, missing where it must exist, or its event log does not verify. Nothing was modified.</exception>
    public static NodeStore Open(string directory, StoreOptions options, TimeProvider time, ILogger logger, WriterHeartbeat? heartbeat = null,
        bool mustExist = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var path = System.IO.Path.Combine(directory, FileName);
        var lockFile = AcquireLock(directory);
        SqliteConnection? connection = null;
        NodeStore? store = null;
        try
        {
            StoreRestoreRecovery.Complete(directory);
            var tail = Check(path, options, mustExist);
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

            var writer = new StoreWriter(connection, path, tail.HeadSeq, tail.HeadHash, ReadClockCeiling(connection), time, logger, options.MaxBatchSize, heartbeat);
            store = new NodeStore(directory, connection, lockFile, writer, epoch);
            // Written on this thread before the writer's starts: opening never waits on a queued write.
            if (ReadRestoredFrom(connection) is { } restoredFrom)
            {
                // The marker goes with the entry that records it, in one transaction.
                var payload = $$"""{"from":{{System.Text.Json.JsonSerializer.Serialize(restoredFrom, StorageJson.Default.String)}},"head":{{tail.HeadSeq}}}""";
                writer.WriteBeforeStart(c =>
                {
                    c.Command("DELETE FROM store_info WHERE key = 'restored_from'").ExecuteNonQuery();
                    return c.AppendEvent(EventKinds.StoreRestored, payload);
                });
            }

            if (applied.Count > 0)
            {
                var created = applied[0].Version == 1;
                var payload = $$"""{"from":{{applied[0].Version - 1}},"to":{{applied[^1].Version}}}""";
                writer.WriteBeforeStart(c => c.AppendEvent(created ? EventKinds.StoreCreated : EventKinds.StoreMigrated, payload));
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

    // Every check reads only, on a read-only connection (which, unlike a writer, never
    // checkpoints a WAL into the file when it closes): a store that fails one is left exactly as it was.
    private static ChainVerification Check(string path, StoreOptions options, bool mustExist)
    {
        var empty = new ChainVerification(0, 0, EventChain.Genesis.ToArray(), null, null);
        if (!File.Exists(path))
        {
            if (File.Exists(path + "-wal"))
            {
                throw new StoreOpenException(StoreProblem.Unreadable,
                    $"{path} is missing but its write-ahead log {path}-wal is there: the store is incomplete. Nothing was changed; " +
                    "restore it from a backup (sovereign-node restore --from BACKUP) or move the -wal file away to start empty.");
            }

            return mustExist ? throw Missing(path, "is missing") : empty;
        }

        // A read-only connection to a WAL database makes the -shm (and -wal) files when they are
        // missing; those it made go again, so a refused store is left as it was found.
        var made = ((string[])[path + "-wal", path + "-shm"]).Where(f => !File.Exists(f)).ToList();
        SqliteConnection? reader = null;
        try
        {
            reader = Sql.Open(path, SqliteOpenMode.ReadOnly);
            if (options.QuickCheckAtStart)
            {
                QuickCheck(reader, path);
            }

            if (Migrator.EnsureNotNewer(reader, path) == 0)
            {
                return mustExist ? throw Missing(path, "is empty") : empty;
            }

            var tail = EventLog.Verify(reader, TailStart(reader, options.VerifyTailAtStart));
            if (!tail.IsIntact)
            {
                throw new StoreOpenException(StoreProblem.BrokenEventLog,
                    $"The event log of {path} is broken at entry {tail.FirstBadSeq}: {tail.Problem}. The file was not modified. " +
                    "Someone or something changed the database outside the node: restore it from a backup (sovereign-node restore --from FILE).");
            }

            return tail;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            throw Damaged(path, ex.Message, ex);
        }
        catch (SqliteException ex)
        {
            throw new StoreOpenException(StoreProblem.Unreadable, $"{path} cannot be checked: {ex.Message}. The file was not modified.", ex);
        }
        finally
        {
            reader?.Dispose();
            foreach (var file in made)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// Settings of the writer's connection beyond durability: a 64 MiB page cache (random 32-byte
    /// ids make index inserts touch pages all over the tree), temporary tables in memory, and a
    /// checkpoint every 10000 WAL pages instead of 1000 (fewer fsyncs of the database file).
    /// </summary>
    public static IReadOnlyList<string> WriterPragmas { get; } =
        ["PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY", "PRAGMA wal_autocheckpoint = 10000"];

    /// <summary>A new read-only connection (pooled); dispose it after use.</summary>
    /// <exception cref="ObjectDisposedException">The store is closed.</exception>
    public SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var reader = new SqliteConnection(_readConnectionString);
        reader.Open();
        return reader;
    }

    /// <summary>Walks the whole event log's hash chain (what <c>nodectl log verify</c> reports).</summary>
    public ChainVerification VerifyEventLog()
    {
        using var reader = OpenReader();
        return EventLog.Verify(reader);
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

    internal static FileStream AcquireLock(string directory)
    {
        var path = System.IO.Path.Combine(directory, LockFileName);
        try
        {
            // FileShare.None takes an exclusive flock(2): a second process (or a restore) is refused.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            // The lock file cannot be read while it is locked, so the holder's pid goes beside it.
            File.WriteAllText(path + ".pid", $"{Environment.ProcessId}\n");
            return stream;
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new StoreOpenException(StoreProblem.Unreadable, $"The state directory {directory} does not exist.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreOpenException(StoreProblem.Unreadable, $"The state directory {directory} is not writable for this user: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            var holder = TryReadPid(path + ".pid");
            throw new StoreOpenException(StoreProblem.Locked,
                $"The store in {directory} is in use by another process{(holder is null ? "" : $" (pid {holder})")}: {LockFileName} is locked. " +
                "Stop that sovereign-node first, or give this one another --data-dir.", ex);
        }
    }

    private static string? TryReadPid(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() is { Length: > 0 } pid ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static void QuickCheck(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(20)";
        var problems = new List<string>();
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                problems.Add(rows.GetString(0));
            }
        }

        if (problems is not ["ok"])
        {
            throw Damaged(path, string.Join("; ", problems), null);
        }
    }

    private static StoreOpenException Missing(string path, string what) =>
        new(StoreProblem.Missing,
            $"{path} {what}, but this node has an identity, so it has had a store: starting would replace all its knowledge and its event log " +
            "with an empty store. Nothing was changed. Restore the newest backup (sovereign-node restore --from BACKUP); or, to start this node " +
            "over with an empty store on purpose (its trusted peers send back what they share), run: sovereign-node new-store");

    private static StoreOpenException Damaged(string path, string detail, Exception? inner) =>
        new(StoreProblem.Corrupt,
            $"{path} is damaged (quick_check: {detail}). The node will not start on it, and the file was left exactly as it is. " +
            "Restore the newest backup with the node stopped: sovereign-node restore --from BACKUP (the damaged file is kept beside it).", inner);

    private static long TailStart(SqliteConnection connection, int entries)
    {
        if (entries <= 0)
        {
            return long.MaxValue;
        }

        var last = Sql.Scalar<long>(connection, "SELECT coalesce(max(seq), 0) FROM events");
        return Math.Max(1, last - entries + 1);
    }

    private static byte[] EnsureEpoch(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM store_info WHERE key = 'epoch'";
        if (read.ExecuteScalar() is byte[] epoch)
        {
            return epoch;
        }

        return RenewEpoch(connection);
    }

    private static long ReadClockCeiling(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM store_info WHERE key = 'hlc_ceiling'";
        return read.ExecuteScalar() is byte[] { Length: 8 } bytes ? System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes) : 0;
    }

    // Set by a restore; the restore is recorded in the log of the restored store at its first open.
    private static string? ReadRestoredFrom(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM store_info WHERE key = 'restored_from'";
        return read.ExecuteScalar() is byte[] path ? System.Text.Encoding.UTF8.GetString(path) : null;
    }

    internal static byte[] RenewEpoch(SqliteConnection connection)
    {
        var epoch = RandomNumberGenerator.GetBytes(16);
        using var write = connection.CreateCommand();
        write.CommandText = "INSERT INTO store_info (key, value) VALUES ('epoch', $epoch) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        write.Parameters.AddWithValue("$epoch", epoch);
        write.ExecuteNonQuery();
        return epoch;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Path} migrated to schema {Version} ({Name}).")]
    private static partial void LogMigrated(ILogger logger, string path, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Path} open: schema {Version}, event log head {HeadSeq}, {Verified} newest entries verified.")]
    private static partial void LogOpened(ILogger logger, string path, int version, long headSeq, long verified);
}
