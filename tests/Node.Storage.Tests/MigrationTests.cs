using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Testing;
using Node.Storage.Events;
using Node.Storage.Packets;
using Node.Storage.Peers;
using Node.Storage.Schema;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

public sealed class MigrationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.Combine(NodeStore.FileName);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_schema_1_store_with_data_upgrades_to_the_latest_with_its_data_intact()
    {
        var packet = TestPackets.Create(new Random(1));
        var old = CreateSchema1Store(packet);
        var logger = new FakeLogger();

        await using (var store = TestStore.Open(_directory.Path, logger: logger))
        {
            using var reader = store.OpenReader();
            Assert.Equal(Migrations.Latest, TestStore.Scalar<long>(reader, "PRAGMA user_version"));
            Assert.Equal(packet.Envelope, TestPackets.StoredEnvelope(reader, packet.Id));
            Assert.Equal(1, TestStore.Scalar<long>(reader, "SELECT seq FROM packets WHERE id = $id", ("$id", packet.Id)));

            var log = reader.Events.After(0, 100);
            Assert.Equal(old.Length + 1, log.Count);
            for (var i = 0; i < old.Length; i++)
            {
                Assert.Equal(old[i].Hash, log[i].Hash);
                Assert.Equal(old[i].Payload, log[i].Payload);
            }

            var migrated = log[^1];
            Assert.Equal(EventKinds.StoreMigrated, migrated.Kind);
            Assert.Equal($$"""{"from":1,"to":{{Migrations.Latest}}}""", Encoding.UTF8.GetString(migrated.Payload));
            Assert.True(store.VerifyEventLog().IsIntact, store.VerifyEventLog().ToString());
            Assert.Contains(logger.Collector.GetSnapshot(), r => r.Message.Contains($"migrated to schema {Migrations.Latest}", StringComparison.Ordinal));

            // The tables of the new schema are there and take writes.
            await store.Writer.WriteAsync(c =>
            {
                var insert = c.Command("INSERT INTO memory (subject, time, kind, content) VALUES ('s', 1, 'note', x'00')");
                insert.ExecuteNonQuery();
            }, TestContext.Current.CancellationToken);
        }

        await using (var reopened = TestStore.Open(_directory.Path))
        {
            using var reader = reopened.OpenReader();
            Assert.Equal(1, TestStore.Scalar<long>(reader, "SELECT count(*) FROM events WHERE kind = $kind", ("$kind", EventKinds.StoreMigrated)));
            Assert.Equal(1, TestStore.Scalar<long>(reader, "SELECT count(*) FROM memory"));
        }
    }

    [Fact]
    public async Task A_store_with_a_newer_schema_is_refused_and_left_byte_for_byte_as_it_was()
    {
        await using (var store = TestStore.Open(_directory.Path))
        {
            await TestPackets.InsertAsync(store, TestPackets.Create(new Random(2)));
        }

        using (var connection = TestStore.Connect(DatabasePath))
        {
            TestStore.Execute(connection, $"PRAGMA user_version = {Migrations.Latest + 1}");
        }

        var before = FileSnapshot.Sha256(DatabasePath);

        var refused = Assert.Throws<StoreOpenException>(() => TestStore.Open(_directory.Path));

        Assert.Equal(StoreProblem.NewerSchema, refused.Problem);
        Assert.Contains(DatabasePath, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {Migrations.Latest + 1}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, FileSnapshot.Sha256(DatabasePath));
        Assert.False(File.Exists(DatabasePath + "-wal"));
    }

    [Fact]
    public void A_schema_1_store_whose_event_log_is_broken_is_refused_before_anything_is_migrated()
    {
        CreateSchema1Store(TestPackets.Create(new Random(3)));
        using (var connection = TestStore.Connect(DatabasePath))
        {
            EventTamper.ChangePayloadByte(connection, 2);
        }

        var before = FileSnapshot.Sha256(DatabasePath);

        var refused = Assert.Throws<StoreOpenException>(() => TestStore.Open(_directory.Path));

        Assert.Equal(StoreProblem.BrokenEventLog, refused.Problem);
        Assert.Contains("The file was not modified", refused.Message, StringComparison.Ordinal);
        using (var connection = TestStore.Connect(DatabasePath, SqliteOpenMode.ReadOnly))
        {
            Assert.Equal(1, TestStore.Scalar<long>(connection, "PRAGMA user_version"));
        }

        Assert.Equal(before, FileSnapshot.Sha256(DatabasePath));
    }

    [Fact]
    public async Task A_schema_3_store_upgrades_with_every_packet_sound_and_a_packet_can_then_be_marked_corrupt()
    {
        var packet = TestPackets.Create(new Random(4));
        CreateSchema1Store(packet);
        using (var connection = TestStore.Connect(DatabasePath))
        {
            Migrator.Apply(connection, DatabasePath, 3);
        }

        await using var store = TestStore.Open(_directory.Path);
        using (var reader = store.OpenReader())
        {
            Assert.Equal(Migrations.Latest, reader.Store.SchemaVersion());
            Assert.Equal(0, reader.Packets.CorruptCount());
            Assert.NotNull(reader.Packets.ById(packet.Id));
            Assert.Equal(1, TestStore.Scalar<long>(reader, "SELECT count(*) FROM sqlite_schema WHERE name = 'packets_corrupt'"));
        }

        Assert.True(await store.Writer.WriteAsync(c => c.MarkCorrupt(packet.Id, "bad bytes", "scrub"), TestContext.Current.CancellationToken));
        using (var reader = store.OpenReader())
        {
            Assert.Null(reader.Packets.ById(packet.Id));
            Assert.Equal(1, reader.Packets.CorruptCount());
        }
    }

    [Fact]
    public async Task A_schema_4_store_upgrades_keeping_its_peers_and_then_holds_manifests_rotations_and_retired_ids()
    {
        CreateSchema1Store(TestPackets.Create(new Random(5)));
        using (var connection = TestStore.Connect(DatabasePath))
        {
            Migrator.Apply(connection, DatabasePath, 4);
            TestStore.Execute(connection, "INSERT INTO peers (node_id, name, tier, addresses, source, first_seen, last_seen) VALUES ('A', 'kitchen', 'core', '10.0.0.2:8102', 'mdns', 1, 2)");
            TestStore.Execute(connection, "INSERT INTO static_peers (address, node_id, name, added_at) VALUES ('10.0.0.9:8102', 'A', NULL, 3)");
        }

        await using var store = TestStore.Open(_directory.Path);
        using (var reader = store.OpenReader())
        {
            Assert.Equal(Migrations.Latest, reader.Store.SchemaVersion());
            var peer = Assert.Single(reader.Peers.List());
            Assert.Equal(("A", "kitchen", "core", "mdns", 1L, 2L), (peer.NodeId, peer.Name, peer.Tier, peer.Source, peer.FirstSeen, peer.LastSeen));
            Assert.Equal(["10.0.0.2:8102", "10.0.0.9:8102"], peer.Addresses);
            Assert.Null(reader.Peers.RetiredTo("A"));
            Assert.Empty(reader.Peers.Retirements());
            Assert.Empty(reader.PeerManifests.Manifests());
            Assert.Empty(reader.PeerManifests.Rotations());
            Assert.Empty(reader.PeerManifests.RotationConflicts());
        }

        await store.Writer.WriteAsync(c =>
        {
            Assert.True(c.PeerManifests.Store(new PeerManifestRow("A", [1, 2], 10, new byte[32], 11)));
            Assert.Equal([1, 2], c.PeerManifests.Manifest("A")!.Envelope);
            Assert.True(c.PeerManifests.InsertRotation(new PeerRotationRow("A", "B", [3], 12)));
            c.Peers.RegisterSuccessor("A", "B", "core", 12);
            c.Peers.Retire("A", "B");
        }, TestContext.Current.CancellationToken);

        using (var reader = store.OpenReader())
        {
            Assert.Null(reader.PeerManifests.Manifest("A")); // a retired id's manifest goes with it
            Assert.Equal("B", reader.Peers.RetiredTo("A"));
            Assert.Equal([("A", "B")], reader.Peers.Retirements());
            Assert.Equal(["unknown", "core"], reader.Peers.List().Select(p => p.Tier));
        }
    }

    // A node.db as a build that knew only schema 1 left it: one packet and a two-entry log.
    private EventEntry[] CreateSchema1Store(PacketRecord packet)
    {
        using var connection = TestStore.Connect(DatabasePath, SqliteOpenMode.ReadWriteCreate);
        Migrator.Apply(connection, DatabasePath, 1);
        TestStore.Execute(connection,
            "INSERT INTO packets (id, envelope, topic, key, author, kind, hlc, received_at) VALUES ($id, $envelope, $topic, $key, $author, $kind, $hlc, 1000)",
            ("$id", packet.Id), ("$envelope", packet.Envelope), ("$topic", packet.Topic), ("$key", packet.Key),
            ("$author", packet.Author), ("$kind", packet.Kind), ("$hlc", packet.Hlc));
        var created = Append(connection, EventChain.Genesis.ToArray(), 1, EventKinds.StoreCreated, Encoding.UTF8.GetBytes("""{"from":0,"to":1}"""));
        var accepted = Append(connection, created.Hash, 2, EventKinds.PacketAccepted, packet.Id);
        return [created, accepted];
    }

    private static EventEntry Append(SqliteConnection connection, byte[] prevHash, long seq, string kind, byte[] payload)
    {
        var time = 1_000 + seq;
        var entry = new EventEntry(seq, time, kind, payload, prevHash, EventChain.Hash(prevHash, seq, time, kind, payload));
        TestStore.Execute(connection, "INSERT INTO events (seq, time, kind, payload, prev_hash, hash) VALUES ($seq, $time, $kind, $payload, $prev, $hash)",
            ("$seq", entry.Seq), ("$time", entry.Time), ("$kind", entry.Kind), ("$payload", entry.Payload), ("$prev", entry.PrevHash), ("$hash", entry.Hash));
        return entry;
    }
}
