using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Node.Storage.Packets;

namespace Node.Storage.Tests.Support;

/// <summary>Packets with random envelopes (1 KB unless told) whose id is the envelope's SHA-256.</summary>
public static class TestPackets
{
    public const int EnvelopeBytes = 1024;

    public static PacketRecord Create(Random random, int envelopeBytes = EnvelopeBytes, string topic = "test")
    {
        ArgumentNullException.ThrowIfNull(random);
        var envelope = new byte[envelopeBytes];
        random.NextBytes(envelope);
        var id = SHA256.HashData(envelope);
        return new PacketRecord(id, envelope, topic, Convert.ToHexStringLower(id.AsSpan(0, 4)), "test-author", "observation", random.NextInt64(1, long.MaxValue), PacketScope.Shareable);
    }

    /// <summary>
    /// A restore's packet check for these packets: an envelope must hash to the id it is stored
    /// under (the first thing the federation layer's verifier checks), read in batches of 7.
    /// </summary>
    public static PacketScan VerifyAll(StoreReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long verified = 0, after = 0;
        var corrupt = new List<CorruptPacket>();
        IReadOnlyList<StoredPacket> batch;
        do
        {
            batch = reader.Packets.ForScrub(after, 7);
            foreach (var stored in batch)
            {
                verified++;
                if (!SHA256.HashData(stored.Packet.Envelope).AsSpan().SequenceEqual(stored.Packet.Id))
                {
                    corrupt.Add(new CorruptPacket(stored.Packet.Id, stored.Seq, "envelope does not hash to its id"));
                }

                after = stored.Seq;
            }
        }
        while (batch.Count == 7);

        return new PacketScan(verified, 0, corrupt);
    }

    /// <summary>Changes one byte of the stored envelope of <paramref name="id"/>, behind the store's back.</summary>
    public static void CorruptEnvelope(SqliteConnection connection, byte[] id, int offset = 10)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var envelope = StoredEnvelope(connection, id) ?? throw new InvalidOperationException("No such packet.");
        envelope[offset] ^= 0x40;
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE packets SET envelope = $envelope WHERE id = $id";
        command.Parameters.AddWithValue("$envelope", envelope);
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    public static Task<PacketInsert> InsertAsync(NodeStore store, PacketRecord packet) =>
        store.Writer.WriteAsync(c => c.InsertPacket(packet), TestContext.Current.CancellationToken);

    /// <summary>The ids of every stored packet, in lowercase hex.</summary>
    public static HashSet<string> StoredIds(StoreReader reader) => StoredIds(reader.Connection);

    /// <summary>The stored envelope of <paramref name="id"/>, or null when there is no such packet.</summary>
    public static byte[]? StoredEnvelope(StoreReader reader, byte[] id) => StoredEnvelope(reader.Connection, id);

    /// <summary>The ids of every stored packet, in lowercase hex.</summary>
    public static HashSet<string> StoredIds(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM packets";
        using var rows = command.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (rows.Read())
        {
            ids.Add(Convert.ToHexStringLower((byte[])rows[0]));
        }

        return ids;
    }

    /// <summary>The stored envelope of <paramref name="id"/>, or null when there is no such packet.</summary>
    public static byte[]? StoredEnvelope(SqliteConnection connection, byte[] id)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT envelope FROM packets WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() as byte[];
    }
}
