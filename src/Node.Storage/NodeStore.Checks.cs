using Microsoft.Data.Sqlite;
using Node.Storage.Events;
using Node.Storage.Schema;

namespace Node.Storage;

// What opening checks before anything is written: integrity, schema version, the event log's tail, a missing store.
public sealed partial class NodeStore
{
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

    /// <summary>Every file the store opens, by name in its directory: the database and SQLite's companions, the lock, a restore's.</summary>
    internal static string[] FileNames { get; } =
        [FileName, FileName + "-wal", FileName + "-shm", FileName + "-journal", LockFileName, LockFileName + ".pid",
         StoreRestoreRecovery.MarkerName, FileName + ".restoring"];

    // A FIFO in one of those places would block the open for ever (and SIGTERM with it); a
    // directory or a device is no store either. Refused by name before anything is opened.
    internal static void RefuseSpecialFiles(string directory)
    {
        foreach (var name in FileNames)
        {
            if (!FileKinds.IsRegularOrMissing(System.IO.Path.Combine(directory, name), out var problem))
            {
                throw new StoreOpenException(StoreProblem.Unreadable,
                    $"{problem}: the store keeps only regular files there, and the node does not open anything else. Nothing was changed; move it away and start again.");
            }
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
}
