using System.Collections.Concurrent;
using System.Text;
using CsCheck;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Node.Storage.Backup;
using Node.Storage.Events;
using Node.Storage.Packets;
using Node.Storage.Schema;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

public sealed class BackupRestoreTests : IDisposable
{
    private static readonly DateTimeOffset RestoreTime = new(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly Random _random = new(21);

    public BackupRestoreTests()
    {
        StoreDirectory = _directory.CreateDirectory("state");
        BackupPath = _directory.Combine("node-backup.db");
    }

    private string StoreDirectory { get; }

    private string BackupPath { get; }

    private string DatabasePath => Path.Combine(StoreDirectory, NodeStore.FileName);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_backup_taken_while_writes_go_on_is_a_consistent_snapshot()
    {
        await using var store = TestStore.Open(StoreDirectory);
        using var stop = new CancellationTokenSource();
        var acknowledged = new ConcurrentQueue<string>();
        var warmedUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            var random = new Random(100 + n);
            while (!stop.IsCancellationRequested)
            {
                var packet = TestPackets.Create(random);
                await TestPackets.InsertAsync(store, packet);
                acknowledged.Enqueue(Convert.ToHexStringLower(packet.Id));
                if (acknowledged.Count >= 200)
                {
                    warmedUp.TrySetResult();
                }
            }
        }, TestContext.Current.CancellationToken)).ToList();

        BackupInfo info;
        string[] beforeBackup;
        try
        {
            await warmedUp.Task.WaitAsync(TestContext.Current.CancellationToken);
            beforeBackup = [.. acknowledged];
            info = await StoreBackup.CreateAsync(store, BackupPath, cancellationToken: TestContext.Current.CancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.Equal(BackupPath, info.Path);
        Assert.False(File.Exists(BackupPath + $".partial-{Environment.ProcessId}"));
        using (var backup = TestStore.Connect(BackupPath, SqliteOpenMode.ReadOnly))
        {
            Assert.Equal("ok", TestStore.QuickCheck(backup));
            var chain = EventLog.Verify(backup);
            Assert.True(chain.IsIntact, chain.ToString());
            Assert.Equal(info.EventHeadSeq, chain.HeadSeq);
            Assert.Equal(info.EventHeadHash, chain.HeadHash);

            // One snapshot: the packets and the log agree, and everything acknowledged before the backup is in it.
            var stored = TestPackets.StoredIds(backup);
            var accepted = new StoreReader(backup, ownsConnection: false).Events.After(0, int.MaxValue).Where(e => e.Kind == EventKinds.PacketAccepted)
                .Select(e => Convert.ToHexStringLower(e.Payload)).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(stored.Order(StringComparer.Ordinal), accepted.Order(StringComparer.Ordinal));
            Assert.Equal(info.Packets, stored.Count);
            Assert.Superset(beforeBackup.ToHashSet(StringComparer.Ordinal), stored);
        }

        var read = StoreBackup.Read(BackupPath);
        Assert.Equal((info.EventHeadSeq, info.Packets, info.CreatedAt), (read.EventHeadSeq, read.Packets, read.CreatedAt));
        Assert.Equal(info.EventHeadHash, read.EventHeadHash);

        // The store went on past the backup, and its log says a backup was made and of what.
        Assert.True(acknowledged.Count > info.Packets, $"{acknowledged.Count} acknowledged, {info.Packets} in the backup");
        using var reader = store.OpenReader();
        var made = reader.Events.After(0, int.MaxValue).Single(e => e.Kind == EventKinds.BackupCreated);
        Assert.Contains($"\"head\":{info.EventHeadSeq}", Encoding.UTF8.GetString(made.Payload), StringComparison.Ordinal);
        Assert.True(made.Seq > info.EventHeadSeq);
    }

    [Fact]
    public async Task A_backup_never_overwrites_an_existing_file()
    {
        File.WriteAllText(BackupPath, "keep me");
        await using var store = TestStore.Open(StoreDirectory);

        await Assert.ThrowsAsync<IOException>(() => StoreBackup.CreateAsync(store, BackupPath, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("keep me", File.ReadAllText(BackupPath));
    }

    [Fact]
    public async Task Restore_replaces_the_store_keeps_the_old_file_and_the_restored_store_records_it()
    {
        var (kept, lost, oldEpoch) = await CreateStoreWithBackupAsync();
        var oldDatabase = FileSnapshot.Sha256(DatabasePath);

        var (restored, replaced, _, _, _) = StoreBackup.Restore(BackupPath, StoreDirectory, new FakeTimeProvider(RestoreTime), TestPackets.VerifyAll);

        Assert.Equal(DatabasePath + ".replaced-20310506T070809Z", replaced);
        Assert.Equal(oldDatabase, FileSnapshot.Sha256(replaced!));
        Assert.False(File.Exists(DatabasePath + ".restoring"));
        Assert.Equal(StoreBackup.Read(BackupPath).EventHeadSeq, restored.EventHeadSeq);

        await using (var store = TestStore.Open(StoreDirectory))
        {
            using var reader = store.OpenReader();
            var stored = TestPackets.StoredIds(reader);
            Assert.All(kept, p => Assert.Contains(Convert.ToHexStringLower(p.Id), stored));
            Assert.All(lost, p => Assert.DoesNotContain(Convert.ToHexStringLower(p.Id), stored));
            Assert.NotEqual(oldEpoch, store.Epoch);

            var chain = store.VerifyEventLog();
            Assert.True(chain.IsIntact, chain.ToString());
            Assert.Equal(restored.EventHeadSeq + 1, chain.HeadSeq);
            var last = reader.Events.Head()!;
            Assert.Equal(EventKinds.StoreRestored, last.Kind);
            Assert.Equal($$"""{"from":"{{BackupPath}}","head":{{restored.EventHeadSeq}}}""", Encoding.UTF8.GetString(last.Payload));
            Assert.Equal(0, TestStore.Scalar<long>(reader, "SELECT count(*) FROM sqlite_schema WHERE name = 'backup_info'"));
        }

        await using (var again = TestStore.Open(StoreDirectory))
        {
            using var reader = again.OpenReader();
            Assert.Equal(1, TestStore.Scalar<long>(reader, "SELECT count(*) FROM events WHERE kind = $kind", ("$kind", EventKinds.StoreRestored)));
        }
    }

    [Fact]
    public async Task Restore_is_refused_while_the_store_is_open()
    {
        await CreateStoreWithBackupAsync();
        await using var store = TestStore.Open(StoreDirectory);
        var before = FileSnapshot.Of(StoreDirectory);

        var refused = Assert.Throws<StoreOpenException>(() => StoreBackup.Restore(BackupPath, StoreDirectory, new FakeTimeProvider(RestoreTime), TestPackets.VerifyAll));

        Assert.Equal(StoreProblem.Locked, refused.Problem);
        Assert.Equal(before, FileSnapshot.Of(StoreDirectory));
        Assert.True(store.VerifyEventLog().IsIntact);
    }

    [Theory]
    [InlineData("a changed event")]
    [InlineData("a removed last event")]
    [InlineData("a forged head record")]
    public async Task A_backup_tampered_with_after_it_was_made_is_refused_and_nothing_is_touched(string tampering)
    {
        await CreateStoreWithBackupAsync();
        using (var backup = TestStore.Connect(BackupPath))
        {
            var head = StoreBackup.Read(BackupPath).EventHeadSeq;
            switch (tampering)
            {
                case "a changed event":
                    EventTamper.ChangePayloadByte(backup, head / 2);
                    break;
                case "a removed last event":
                    EventTamper.Delete(backup, head);
                    break;
                default:
                    TestStore.Execute(backup, "UPDATE backup_info SET head_hash = zeroblob(32)");
                    break;
            }
        }

        var before = FileSnapshot.Of(StoreDirectory);

        var refused = Assert.Throws<InvalidDataException>(() => StoreBackup.Restore(BackupPath, StoreDirectory, new FakeTimeProvider(RestoreTime), TestPackets.VerifyAll));

        Assert.Contains(BackupPath, refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, FileSnapshot.Of(StoreDirectory));
    }

    [Fact]
    public async Task A_refused_restore_into_a_new_directory_leaves_nothing_behind()
    {
        await CreateStoreWithBackupAsync();
        using (var backup = TestStore.Connect(BackupPath))
        {
            EventTamper.ChangePayloadByte(backup, 2);
        }

        var target = _directory.Combine("new");

        Assert.Throws<InvalidDataException>(() => StoreBackup.Restore(BackupPath, target, new FakeTimeProvider(RestoreTime), TestPackets.VerifyAll));

        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Two_restores_within_one_second_keep_both_replaced_files()
    {
        await CreateStoreWithBackupAsync();
        var time = new FakeTimeProvider(RestoreTime);

        var (_, first, _, _, _) = StoreBackup.Restore(BackupPath, StoreDirectory, time, TestPackets.VerifyAll);
        var (_, second, _, _, _) = StoreBackup.Restore(BackupPath, StoreDirectory, time, TestPackets.VerifyAll);

        Assert.NotEqual(first, second);
        Assert.True(File.Exists(first));
        Assert.True(File.Exists(second));
        Assert.False(File.Exists(DatabasePath + ".restoring"));
    }

    [Fact]
    public async Task A_backup_holding_a_packet_whose_bytes_do_not_verify_is_refused_naming_it_and_nothing_is_touched()
    {
        var (kept, _, _) = await CreateStoreWithBackupAsync();
        long seq;
        using (var backup = TestStore.Connect(BackupPath))
        {
            TestPackets.CorruptEnvelope(backup, kept[3].Id);
            seq = TestStore.Scalar<long>(backup, "SELECT seq FROM packets WHERE id = $id", ("$id", kept[3].Id));
        }

        var before = FileSnapshot.Of(StoreDirectory);

        var refused = Assert.Throws<InvalidDataException>(() => StoreBackup.Restore(BackupPath, StoreDirectory, new FakeTimeProvider(RestoreTime), TestPackets.VerifyAll));

        Assert.Contains(BackupPath, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"1 packet(s) whose stored bytes do not verify: {Convert.ToHexStringLower(kept[3].Id)} (seq {seq}): envelope does not hash to its id",
            refused.Message, StringComparison.Ordinal);
        Assert.Contains("--mark-corrupt", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, FileSnapshot.Of(StoreDirectory));
    }

    [Fact]
    public async Task Told_to_mark_corrupt_a_restore_keeps_the_bad_packet_marked_from_the_first_open_and_never_serves_it()
    {
        var (kept, _, _) = await CreateStoreWithBackupAsync();
        using (var backup = TestStore.Connect(BackupPath))
        {
            TestPackets.CorruptEnvelope(backup, kept[3].Id);
        }

        var result = StoreBackup.Restore(BackupPath, StoreDirectory, new FakeTimeProvider(RestoreTime), TestPackets.VerifyAll, markCorrupt: true);

        Assert.Equal(10, result.Packets.Checked);
        Assert.Equal([Convert.ToHexStringLower(kept[3].Id)], result.Packets.Corrupt.Select(p => Convert.ToHexStringLower(p.Id)));
        await using (var store = TestStore.Open(StoreDirectory))
        {
            using var reader = store.OpenReader();
            Assert.Null(reader.Packets.ById(kept[3].Id));
            Assert.Equal("envelope does not hash to its id", reader.Packets.CorruptReason(kept[3].Id));
            Assert.Equal(9, reader.Packets.After(PacketFilter.All, 0, 100).Count);
            Assert.Equal(10, reader.Packets.Count());
            var tail = reader.Events.Tail(2);
            Assert.Equal([EventKinds.StoreRestored, EventKinds.PacketCorrupt], tail.Select(e => e.Kind));
            Assert.Contains("\"found_by\":\"restore\"", Encoding.UTF8.GetString(tail[1].Payload), StringComparison.Ordinal);
            Assert.True(store.VerifyEventLog().IsIntact);
        }

        await using (var again = TestStore.Open(StoreDirectory))
        {
            using var reader = again.OpenReader();
            Assert.Equal(1, TestStore.Scalar<long>(reader, "SELECT count(*) FROM events WHERE kind = $kind", ("$kind", EventKinds.PacketCorrupt)));
            Assert.Equal(0, TestStore.Scalar<long>(reader, "SELECT count(*) FROM store_info WHERE key = 'restored_corrupt'"));
        }
    }

    [Fact]
    public async Task A_backup_from_before_the_marks_existed_is_restored_migrated_then_marked()
    {
        var (kept, _, _) = await CreateStoreWithBackupAsync();
        using (var backup = TestStore.Connect(BackupPath))
        {
            // As a schema 3 build wrote it: no corrupt column yet, nor schema 5's peer manifests and rotations, nor schema 6's own
            // rotations, nor schema 7's scopes and sync tables, nor schema 8's decision subjects and promoted packets.
            TestStore.Execute(backup, "DROP INDEX decisions_subject; ALTER TABLE decisions DROP COLUMN subject; DROP TABLE promoted_packets; DROP INDEX rejected_packets_peer; DROP INDEX quarantine_peer");
            TestStore.Execute(backup, "DROP TABLE retractions; DROP TABLE author_keys; DROP TABLE rejected_packets; DROP TABLE sync_cursors");
            TestStore.Execute(backup, "DROP INDEX packets_order; ALTER TABLE packets DROP COLUMN scope");
            TestStore.Execute(backup, "DROP TABLE peer_manifests; DROP TABLE peer_rotations; DROP TABLE peer_rotation_conflicts; DROP TABLE own_rotations");
            TestStore.Execute(backup, "ALTER TABLE peers DROP COLUMN retired_to");
            TestStore.Execute(backup, "DROP INDEX packets_corrupt");
            TestStore.Execute(backup, "ALTER TABLE packets DROP COLUMN corrupt");
            TestStore.Execute(backup, "PRAGMA user_version = 3");
            TestStore.Execute(backup, "UPDATE backup_info SET schema_version = 3");
            TestPackets.CorruptEnvelope(backup, kept[0].Id);
        }

        var result = StoreBackup.Restore(BackupPath, StoreDirectory, new FakeTimeProvider(RestoreTime), TestPackets.VerifyAll, markCorrupt: true);

        Assert.Equal(3, result.Restored.SchemaVersion);
        await using var store = TestStore.Open(StoreDirectory);
        using var reader = store.OpenReader();
        Assert.Equal(Migrations.Latest, reader.Store.SchemaVersion());
        Assert.Equal("envelope does not hash to its id", reader.Packets.CorruptReason(kept[0].Id));
        Assert.Equal([EventKinds.StoreRestored, EventKinds.StoreMigrated, EventKinds.PacketCorrupt], reader.Events.Tail(3).Select(e => e.Kind));
    }

    // A closed store whose backup holds the first ten packets and not the ten written after it.
    [Fact]
    public async Task The_replaced_stores_retractions_the_backup_lacks_are_carried_with_their_authors_keys()
    {
        var (kept, _, _) = await CreateStoreWithBackupAsync();
        var before = kept[0] with { Kind = "retraction", Author = "author-before" }; // in the backup too: not carried
        var after = TestPackets.Create(_random) with { Kind = "retraction", Author = "author-after" };
        await using (var store = TestStore.Open(StoreDirectory))
        {
            await TestPackets.InsertAsync(store, after);
            await store.Writer.WriteAsync(c => c.Sync.AddAuthorKey("author-after", Enumerable.Repeat((byte)7, 32).ToArray()), TestContext.Current.CancellationToken);
            await store.Writer.WriteAsync(c => c.Sync.AddAuthorKey("someone-else", Enumerable.Repeat((byte)8, 32).ToArray()), TestContext.Current.CancellationToken);
        }

        var result = StoreBackup.Restore(BackupPath, StoreDirectory, new FakeTimeProvider(RestoreTime), TestPackets.VerifyAll);

        Assert.Equal((1, (string?)null), (result.CarriedRetractions, result.CarryProblem));
        Assert.NotEqual(before.Id, after.Id);
        await using var restored = TestStore.Open(StoreDirectory);
        using var reader = restored.OpenReader();
        var (envelopes, keys) = reader.Sync.CarriedRetractions();
        Assert.Equal(after.Envelope, Assert.Single(envelopes));
        Assert.Equal(Enumerable.Repeat((byte)7, 32), Assert.Single(keys));
    }

    [Fact]
    public async Task A_replaced_database_that_cannot_be_read_does_not_stop_the_restore_and_says_its_retractions_were_not_carried()
    {
        await CreateStoreWithBackupAsync();
        File.Delete(DatabasePath + "-wal");
        File.WriteAllBytes(DatabasePath, Enumerable.Repeat((byte)0x5A, 8192).ToArray());

        var result = StoreBackup.Restore(BackupPath, StoreDirectory, new FakeTimeProvider(RestoreTime), TestPackets.VerifyAll);

        Assert.Equal(0, result.CarriedRetractions);
        Assert.StartsWith("the retractions of the replaced database could not be read", result.CarryProblem, StringComparison.Ordinal);
        Assert.NotNull(result.ReplacedFile);
    }

    [Fact]
    public void Carried_records_round_trip_and_garbage_never_throws()
    {
        Gen.Byte.Array[0, 40].Array[0, 8].Sample(records =>
            CarriedRetractions.Decode(CarriedRetractions.Encode(records)).SequenceEqual(records, ByteArrayEquality.Instance));
        Gen.Byte.Array[0, 64].Sample(bytes => CarriedRetractions.Decode(bytes).Count <= bytes.Length / 4);
    }

    private sealed class ByteArrayEquality : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayEquality Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }

    private async Task<(List<PacketRecord> Kept, List<PacketRecord> Lost, byte[] Epoch)> CreateStoreWithBackupAsync()
    {
        var kept = Enumerable.Range(0, 10).Select(_ => TestPackets.Create(_random)).ToList();
        var lost = Enumerable.Range(0, 10).Select(_ => TestPackets.Create(_random)).ToList();
        await using var store = TestStore.Open(StoreDirectory);
        await Task.WhenAll(kept.Select(p => TestPackets.InsertAsync(store, p)));
        await StoreBackup.CreateAsync(store, BackupPath, cancellationToken: TestContext.Current.CancellationToken);
        await Task.WhenAll(lost.Select(p => TestPackets.InsertAsync(store, p)));
        return (kept, lost, store.Epoch);
    }
}
