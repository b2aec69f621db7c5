using System.Text;
using Microsoft.Data.Sqlite;

namespace Node.Storage.Packets;

/// <summary>Reads stored packets (not held or quarantined ones) on a reader connection.</summary>
public static class PacketQueries
{
    private const string Columns = "seq, received_at, id, envelope, topic, key, author, kind, hlc";

    /// <summary>The packet <paramref name="id"/>, or null when it is not stored.</summary>
    public static StoredPacket? ById(SqliteConnection connection, byte[] id)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(id);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM packets WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var rows = command.ExecuteReader();
        return rows.Read() ? Read(rows) : null;
    }

    /// <summary>The receive sequence of the newest stored packet; 0 when none is.</summary>
    public static long LastSeq(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(seq), 0) FROM packets";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Every packet of the slot (<paramref name="topic"/>, <paramref name="key"/>), in receive order.</summary>
    public static IReadOnlyList<StoredPacket> BySlot(SqliteConnection connection, string topic, string key) =>
        After(connection, new PacketFilter(topic, key), 0, int.MaxValue);

    /// <summary>
    /// Packets matching <paramref name="filter"/> with a receive sequence after
    /// <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>.
    /// </summary>
    public static IReadOnlyList<StoredPacket> After(SqliteConnection connection, PacketFilter filter, long afterSeq, int limit)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM packets WHERE seq > $after");
        command.Parameters.AddWithValue("$after", afterSeq);
        void Match(string column, string? value)
        {
            if (value is not null)
            {
                sql.Append($" AND {column} = ${column}");
                command.Parameters.AddWithValue("$" + column, value);
            }
        }

        Match("topic", filter.Topic);
        Match("key", filter.Key);
        Match("kind", filter.Kind);
        Match("author", filter.Author);
        sql.Append(" ORDER BY seq LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = sql.ToString();
        var packets = new List<StoredPacket>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            packets.Add(Read(rows));
        }

        return packets;
    }

    private static StoredPacket Read(SqliteDataReader row) =>
        new(row.GetInt64(0), row.GetInt64(1),
            new PacketRecord((byte[])row[2], (byte[])row[3], row.GetString(4), row.GetString(5), row.GetString(6), row.GetString(7), row.GetInt64(8)));
}
