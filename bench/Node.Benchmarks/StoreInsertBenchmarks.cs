using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Packets;

namespace Node.Benchmarks;

/// <summary>
/// Durable packet inserts (1 KB envelopes, synchronous=FULL, WAL) through the store's writer,
/// next to a bare Microsoft.Data.Sqlite insert loop on the same schema in the same run. Each
/// iteration writes <see cref="Packets"/> packets into a fresh database; times are per packet.
/// </summary>
[Config(typeof(InProcessConfig))]
public class StoreInsertBenchmarks
{
    public const int Packets = 20_000;
    private const int Batch = 1000;

    private PacketRecord[] _packets = [];
    private string _dir = "";
    private NodeStore? _store;
    private SqliteConnection? _bare;

    [GlobalSetup]
    public void MakePackets()
    {
        var envelope = new byte[1024];
        RandomNumberGenerator.Fill(envelope);
        _packets = Enumerable.Range(0, Packets)
            .Select(i => new PacketRecord(RandomNumberGenerator.GetBytes(32), envelope, "market/SPX", $"bar-{i}", "node-a", "observation", i, PacketScope.Shareable))
            .ToArray();
    }

    [IterationSetup(Targets = [nameof(Writer_batches_of_1000), nameof(Writer_single_packets_group_committed)])]
    public void OpenStore()
    {
        _dir = Directory.CreateTempSubdirectory("sovereign-bench-store-").FullName;
        _store = NodeStore.Open(_dir, new StoreOptions { MaxBatchSize = Batch }, TimeProvider.System, NullLogger.Instance);
    }

    [IterationSetup(Targets = [nameof(Bare_sqlite_packets_only), nameof(Bare_sqlite_packets_and_chained_events)])]
    public void OpenBare()
    {
        _dir = Directory.CreateTempSubdirectory("sovereign-bench-bare-").FullName;
        // Same schema and settings as the store: let the store create it, then write around it.
        NodeStore.Open(_dir, new StoreOptions(), TimeProvider.System, NullLogger.Instance).DisposeAsync().AsTask().GetAwaiter().GetResult();
        _bare = new SqliteConnection($"Data Source={Path.Combine(_dir, NodeStore.FileName)};Pooling=False");
        _bare.Open();
        Execute(_bare, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
        foreach (var pragma in NodeStore.WriterPragmas)
        {
            Execute(_bare, pragma);
        }
    }

    [IterationCleanup]
    public void Close()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store = null;
        _bare?.Dispose();
        _bare = null;
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Packets, Description = "bare SQLite loop: packet rows, 1000 per commit")]
    public void Bare_sqlite_packets_only() => BareLoop(withEvents: false);

    [Benchmark(OperationsPerInvoke = Packets, Description = "bare SQLite loop: packet rows + chained event rows, 1000 per commit")]
    public void Bare_sqlite_packets_and_chained_events() => BareLoop(withEvents: true);

    [Benchmark(OperationsPerInvoke = Packets, Description = "store writer: WriteAsync of 1000 packets each")]
    public async Task Writer_batches_of_1000()
    {
        for (var i = 0; i < Packets; i += Batch)
        {
            var start = i;
            await _store!.Writer.WriteAsync(c =>
            {
                for (var j = start; j < start + Batch; j++)
                {
                    c.InsertPacket(_packets[j]);
                }
            });
        }
    }

    [Benchmark(OperationsPerInvoke = Packets, Description = "store writer: one WriteAsync per packet, all in flight")]
    public async Task Writer_single_packets_group_committed()
    {
        var writes = new Task<PacketInsert>[Packets];
        for (var i = 0; i < Packets; i++)
        {
            var packet = _packets[i];
            writes[i] = _store!.Writer.WriteAsync(c => c.InsertPacket(packet));
        }

        await Task.WhenAll(writes);
    }

    private void BareLoop(bool withEvents)
    {
        using var insert = _bare!.CreateCommand();
        insert.CommandText = "INSERT INTO packets (id, envelope, topic, key, author, kind, hlc, received_at) VALUES ($id, $envelope, $topic, $key, $author, $kind, $hlc, $at)";
        var p = Parameters(insert, ("$id", SqliteType.Blob), ("$envelope", SqliteType.Blob), ("$topic", SqliteType.Text), ("$key", SqliteType.Text),
            ("$author", SqliteType.Text), ("$kind", SqliteType.Text), ("$hlc", SqliteType.Integer), ("$at", SqliteType.Integer));
        insert.Prepare();
        using var append = _bare.CreateCommand();
        append.CommandText = "INSERT INTO events (seq, time, kind, payload, prev_hash, hash) VALUES ($seq, $time, $kind, $payload, $prev, $hash)";
        var e = Parameters(append, ("$seq", SqliteType.Integer), ("$time", SqliteType.Integer), ("$kind", SqliteType.Text), ("$payload", SqliteType.Blob),
            ("$prev", SqliteType.Blob), ("$hash", SqliteType.Blob));
        append.Prepare();
        var seq = 1L + (long)new SqliteCommand("SELECT coalesce(max(seq), 0) FROM events", _bare).ExecuteScalar()!;
        var prev = EventChain.Genesis.ToArray();
        for (var i = 0; i < Packets; i += Batch)
        {
            Execute(_bare, "BEGIN IMMEDIATE");
            for (var j = i; j < i + Batch; j++)
            {
                var packet = _packets[j];
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                p[0].Value = packet.Id;
                p[1].Value = packet.Envelope;
                p[2].Value = packet.Topic;
                p[3].Value = packet.Key;
                p[4].Value = packet.Author;
                p[5].Value = packet.Kind;
                p[6].Value = packet.Hlc;
                p[7].Value = now;
                insert.ExecuteNonQuery();
                if (withEvents)
                {
                    var hash = EventChain.Hash(prev, seq, now, EventKinds.PacketAccepted, packet.Id);
                    e[0].Value = seq++;
                    e[1].Value = now;
                    e[2].Value = EventKinds.PacketAccepted;
                    e[3].Value = packet.Id;
                    e[4].Value = prev;
                    e[5].Value = hash;
                    append.ExecuteNonQuery();
                    prev = hash;
                }
            }

            Execute(_bare, "COMMIT");
        }
    }

    private static SqliteParameter[] Parameters(SqliteCommand command, params (string Name, SqliteType Type)[] parameters) =>
        parameters.Select(x => command.Parameters.Add(x.Name, x.Type)).ToArray();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
