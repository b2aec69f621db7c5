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
        return new PacketRecord(id, envelope, topic, Convert.ToHexStringLower(id.AsSpan(0, 4)), "test-author", "observation", random.NextInt64(1, long.MaxValue));
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
