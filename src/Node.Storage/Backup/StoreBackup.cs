using Microsoft.Data.Sqlite;
using SQLitePCL;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;
using Node.Storage.Internal;
using Node.Storage.Packets;
using Node.Storage.Schema;

namespace Node.Storage.Backup;

/// <summary>
/// Online backup through SQLite's backup API (a consistent snapshot while the node keeps
/// writing), and restore from one (with the node stopped). A backup records its event-log head;
/// a restore checks the file, the whole chain, that head and every packet before it replaces
/// anything, and keeps the file it replaces.
/// </summary>
public static class StoreBackup
{
    // 4 MiB of 4 KiB pages per step.
    private const int StepPages = 1024;

    // The errno .NET puts in an IOException's HResult on Linux for a full disk (ENOSPC).
    private const int NoSpace = 28;

    /// <summary>
    /// Writes a backup of <paramref name="store"/> to <paramref name="destination"/> (through a
    /// temporary file, so a half-written backup never carries the final name), checks it, and
    /// appends <see cref="EventKinds.BackupCreated"/> to the store's log.
    /// </summary>
    /// <exception cref="IOException">The destination exists, or cannot be written (HResult 28, ENOSPC, when the disk filled up).</exception>
    /// <param name="store">The open store.</param>
    /// <param name="destination">The new backup file.</param>
    /// <param name="progress">Told pages copied and pages in all, as the copy goes.</param>
    /// <param name="cancellationToken">Stops the copy between steps (the partial file is removed).</param>
    public static async Task<BackupInfo> CreateAsync(NodeStore store, string destination, IProgress<BackupProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        destination = Path.GetFullPath(destination);
        if (File.Exists(destination))
        {
            throw new IOException($"Backup destination {destination} already exists; choose a new file name.");
        }

        var temporary = destination + $".partial-{Environment.ProcessId}";
        try
        {
            var createdAt = await store.Writer.WriteAsync(c => c.Now, cancellationToken).ConfigureAwait(false);
            // A backup holds what the store holds: 0600, whatever the umask (SQLite's journal copies the mode).
            File.Delete(temporary);
            NodeStore.CreatePrivateFile(temporary);
            using (var source = store.OpenReader())
            using (var copy = Sql.Open(temporary, SqliteOpenMode.ReadWriteCreate))
            {
                Copy(source.Connection, copy, progress, cancellationToken);
                NodeStore.QuickCheck(copy, temporary);
                var chain = EventLog.Verify(copy);
                if (!chain.IsIntact)
                {
                    throw new InvalidOperationException($"The backup's event log does not verify ({chain}); the store itself should be checked.");
                }

                Sql.Execute(copy, "CREATE TABLE backup_info (created_at INTEGER NOT NULL, schema_version INTEGER NOT NULL, head_seq INTEGER NOT NULL, head_hash BLOB NOT NULL)");
                using var record = copy.CreateCommand();
                record.CommandText = "INSERT INTO backup_info VALUES ($at, $schema, $seq, $hash)";
                record.Parameters.AddWithValue("$at", createdAt);
                record.Parameters.AddWithValue("$schema", Migrator.ReadVersion(copy));
                record.Parameters.AddWithValue("$seq", chain.HeadSeq);
                record.Parameters.AddWithValue("$hash", chain.HeadHash);
                record.ExecuteNonQuery();
                Sql.Execute(copy, "PRAGMA journal_mode = DELETE");
            }

            SqliteConnection.ClearAllPools();
            Durable.FlushFile(temporary);
            Durable.Rename(temporary, destination);
            var info = Read(destination);
            var made = new BackupCreatedEvent(destination, info.EventHeadSeq);
            await store.Writer.WriteAsync(c => c.AppendEvent(made), cancellationToken).ConfigureAwait(false);
            return info;
        }
        catch (Exception ex) when (ex is SqliteException { SqliteErrorCode: raw.SQLITE_FULL } or IOException { HResult: NoSpace })
        {
            throw new IOException($"The disk filled up during the backup to {destination}; nothing was kept.", NoSpace);
        }
        catch (SqliteException ex)
        {
            // SQLite's own words, as an I/O failure of the backup: callers need not know SQLite.
            throw new IOException($"SQLite: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // SQLite's online backup, a step at a time so progress can be told and the copy cancelled.
    // The read transaction held on the source pins one snapshot: the node's writes go on in the
    // WAL meanwhile and do not restart the copy.
    private static void Copy(SqliteConnection source, SqliteConnection destination, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        Sql.Execute(source, "BEGIN");
        try
        {
            Sql.Scalar<long>(source, "SELECT count(*) FROM store_info");
            Step(source, destination, progress, cancellationToken);
        }
        finally
        {
            Sql.Execute(source, "COMMIT");
        }
    }

    private static void Step(SqliteConnection source, SqliteConnection destination, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var backup = raw.sqlite3_backup_init(destination.Handle, "main", source.Handle, "main");
        if (backup is null || backup.IsInvalid)
        {
            throw new IOException($"SQLite could not start the backup: {raw.sqlite3_errmsg(destination.Handle).utf8_to_string()}.");
        }

        using (backup)
        {
            int result;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                result = raw.sqlite3_backup_step(backup, StepPages);
                var total = raw.sqlite3_backup_pagecount(backup);
                progress?.Report(new BackupProgress(total - raw.sqlite3_backup_remaining(backup), total));
            }
            while (result is raw.SQLITE_OK or raw.SQLITE_BUSY or raw.SQLITE_LOCKED);

            if (result == raw.SQLITE_FULL)
            {
                throw new IOException("SQLite: database or disk is full", NoSpace); // named by CreateAsync
            }

            if (result != raw.SQLITE_DONE)
            {
                throw new IOException($"The backup failed: SQLite error {result} ({raw.sqlite3_errstr(result).utf8_to_string()}).");
            }
        }
    }

    /// <summary>Reads what a backup file says it holds, checking that it is one.</summary>
    /// <exception cref="InvalidDataException">It is not a backup made by <see cref="CreateAsync"/>.</exception>
    public static BackupInfo Read(string backup)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(backup);
        backup = Path.GetFullPath(backup);
        if (!File.Exists(backup))
        {
            throw new FileNotFoundException($"Backup {backup} does not exist.", backup);
        }

        if (!FileKinds.IsRegularOrMissing(backup, out var notAFile))
        {
            throw new InvalidDataException($"{notAFile}; a backup is a regular file.");
        }

        try
        {
            using var connection = Sql.Open(backup, SqliteOpenMode.ReadOnly);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT created_at, schema_version, head_seq, head_hash, (SELECT count(*) FROM packets) FROM backup_info";
            using var row = command.ExecuteReader();
            if (!row.Read())
            {
                throw new InvalidDataException($"{backup} has an empty backup_info table; it is not a complete backup.");
            }

            return new BackupInfo(backup, row.GetInt64(0), row.GetInt32(1), row.GetInt64(2), (byte[])row[3], row.GetInt64(4), new FileInfo(backup).Length);
        }
        catch (SqliteException ex)
        {
            throw new InvalidDataException($"{backup} is not a Sovereign Node backup ({ex.Message}).", ex);
        }
    }

    /// <summary>
    /// Replaces the store in <paramref name="directory"/> with <paramref name="backup"/>. The node
    /// must be stopped (the store's lock is taken). The backup is checked first — quick_check,
    /// schema version, the whole event chain, that the chain ends at the recorded head, and every
    /// packet (<paramref name="verifyPackets"/>) — and nothing is touched unless it passes. The
    /// replaced database is kept as <c>node.db.replaced-TIMESTAMP</c>. The restored store gets a
    /// new epoch, so peers run a full reconciliation with it, and its log records the restore at
    /// the next start.
    /// </summary>
    /// <param name="backup">The backup file.</param>
    /// <param name="directory">The state directory (made when missing).</param>
    /// <param name="time">The clock that names the replaced file.</param>
    /// <param name="verifyPackets">
    /// Verifies every packet of the backup, given a read-only view of it (the federation layer's
    /// packet check: id, shape, limits, signature). Packets are read with
    /// <see cref="PacketQueries.ForScrub"/>, which works on every schema version.
    /// </param>
    /// <param name="markCorrupt">
    /// Restore a backup holding packets that do not verify, with those packets marked corrupt
    /// (kept, never served or synced; the marks and their <c>packet.corrupt</c> entries are made at
    /// the next start). Without it such a backup is refused.
    /// </param>
    /// <returns>What was restored, where the replaced file went, and what verifying the packets found.</returns>
    /// <exception cref="StoreOpenException">The node is running (the lock is held), or a file of the store is not a regular file.</exception>
    /// <exception cref="InvalidDataException">The backup does not pass its checks: the message names the first bad packets.</exception>
    public static RestoreResult Restore(string backup, string directory, TimeProvider time, Func<StoreReader, PacketScan> verifyPackets,
        bool markCorrupt = false)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(verifyPackets);
        // The backup is checked before anything in the target is touched: a refused restore leaves no trace.
        var info = Read(backup);
        Check(info, info.Path);
        var packets = VerifyPackets(info, verifyPackets);
        if (!packets.IsSound && !markCorrupt)
        {
            throw new InvalidDataException(
                $"Backup {info.Path} holds {packets.Corrupt.Count} packet(s) whose stored bytes do not verify: {Names(packets.Corrupt)}. " +
                "Nothing was changed. Restore an older backup, or restore this one with those packets marked corrupt " +
                $"(kept, never served or synced): sovereign-node restore --from {info.Path} --mark-corrupt");
        }

        System.IO.Directory.CreateDirectory(directory);
        NodeStore.RefuseSpecialFiles(directory);
        using var held = NodeStore.AcquireLock(directory);
        StoreRestoreRecovery.Complete(directory);

        // 1. A staging copy, prepared (a new epoch; the replaced store's retractions carried), then checked itself
        // (what will become node.db) and fsynced.
        var target = Path.Combine(directory, NodeStore.FileName);
        var staging = StoreRestoreRecovery.Staging(directory);
        var (carried, carryProblem) = (0, (string?)null);
        File.Copy(info.Path, staging, overwrite: true);
        File.SetUnixFileMode(staging, NodeStore.PrivateFileMode); // File.Copy took the backup's mode
        using (var connection = Sql.Open(staging, SqliteOpenMode.ReadWrite))
        {
            NodeStore.RenewEpoch(connection);
            using var pending = connection.CreateCommand();
            pending.CommandText = "INSERT INTO store_info (key, value) VALUES ('restored_from', $from) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
            pending.Parameters.AddWithValue("$from", System.Text.Encoding.UTF8.GetBytes(info.Path));
            pending.ExecuteNonQuery();
            if (!packets.IsSound)
            {
                // Made at the next open, after any migration, with their events, before anything can serve them.
                StoreInfo.Write(connection, StoreInfo.RestoredCorrupt, CorruptMarks.Encode(packets.Corrupt));
            }

            if (File.Exists(target))
            {
                (carried, carryProblem) = CarriedRetractions.Carry(target, connection);
            }

            Sql.Execute(connection, "DROP TABLE backup_info");
        }

        SqliteConnection.ClearAllPools();
        Check(info, staging);
        Durable.FlushFile(staging);

        // 2. The database it replaces is copied aside (with its write-ahead log), never deleted.
        string? replaced = null;
        if (File.Exists(target))
        {
            replaced = $"{target}.replaced-{time.GetUtcNow():yyyyMMddTHHmmssZ}";
            for (var n = 2; File.Exists(replaced) || File.Exists(replaced + "-wal"); n++)
            {
                replaced = $"{target}.replaced-{time.GetUtcNow():yyyyMMddTHHmmssZ}-{n}";
            }

            File.Copy(target, replaced);
            File.SetUnixFileMode(replaced, NodeStore.PrivateFileMode);
            Durable.FlushFile(replaced);
            if (File.Exists(target + "-wal"))
            {
                File.Copy(target + "-wal", replaced + "-wal");
                File.SetUnixFileMode(replaced + "-wal", NodeStore.PrivateFileMode);
                Durable.FlushFile(replaced + "-wal");
            }
        }

        // 3. Marked ready, then swapped in; an interruption from here on is finished by the next open.
        StoreRestoreRecovery.MarkReady(directory);
        StoreRestoreRecovery.Complete(directory);
        return new RestoreResult(info, replaced, packets, carried, carryProblem);
    }

    // Every packet of the backup, through the caller's check, on a read-only connection to the file.
    private static PacketScan VerifyPackets(BackupInfo info, Func<StoreReader, PacketScan> verify)
    {
        try
        {
            using var reader = new StoreReader(Sql.Open(info.Path, SqliteOpenMode.ReadOnly), ownsConnection: true);
            return verify(reader);
        }
        catch (SqliteException ex)
        {
            throw new InvalidDataException($"Backup {info.Path}: its packets cannot be read ({ex.Message}).", ex);
        }
    }

    // The first few, enough to find them; the rest counted.
    private static string Names(IReadOnlyList<CorruptPacket> corrupt) =>
        string.Join("; ", corrupt.Take(5)) + (corrupt.Count > 5 ? $"; and {corrupt.Count - 5} more" : "");

    // Checks a backup file (or the staging copy made from it, which has no backup_info any more)
    // against what the backup recorded: quick_check, schema, the whole chain, and its head.
    private static void Check(BackupInfo info, string file)
    {
        using var connection = Sql.Open(file, SqliteOpenMode.ReadOnly);
        try
        {
            NodeStore.QuickCheck(connection, file);
        }
        catch (StoreOpenException ex)
        {
            throw new InvalidDataException($"Backup {info.Path} is damaged: {ex.Message}", ex);
        }

        if (info.SchemaVersion > Migrations.Latest)
        {
            throw new InvalidDataException($"Backup {info.Path} has schema {info.SchemaVersion}, newer than this sovereign-node (up to {Migrations.Latest}).");
        }

        var chain = EventLog.Verify(connection);
        if (!chain.IsIntact)
        {
            throw new InvalidDataException($"Backup {info.Path} has a broken event log: entry {chain.FirstBadSeq}: {chain.Problem}.");
        }

        if (chain.HeadSeq != info.EventHeadSeq || !chain.HeadHash.AsSpan().SequenceEqual(info.EventHeadHash))
        {
            throw new InvalidDataException(
                $"Backup {info.Path} does not end where it says: its log ends at entry {chain.HeadSeq}, its record says {info.EventHeadSeq} " +
                $"{Convert.ToHexStringLower(info.EventHeadHash)}. It was changed after it was made.");
        }
    }
}
