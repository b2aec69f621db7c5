using Microsoft.Data.Sqlite;

namespace Node.Testing.Storage;

/// <summary>
/// Changes a stored packet behind the store's back, as bit rot or a hand with sqlite3 would: straight
/// in the database file (a running node's included: SQLite's locking keeps it consistent).
/// </summary>
public static class PacketTamper
{
    /// <summary>The stored envelope of <paramref name="id"/>, marked corrupt or not.</summary>
    public static byte[] Envelope(string database, byte[] id)
    {
        using var connection = Connect(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT envelope FROM packets WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() as byte[] ?? throw new InvalidOperationException($"No packet {Convert.ToHexStringLower(id)} in {database}.");
    }

    /// <summary>
    /// Flips one bit of the stored envelope of <paramref name="id"/>: in its payload (it then no
    /// longer hashes to its id), or in its signature, the envelope's last bytes (it then hashes
    /// right, and only a signature check finds it).
    /// </summary>
    public static void FlipBit(string database, byte[] id, bool inSignature = false)
    {
        var envelope = Envelope(database, id);
        var payload = Node.Protocol.Packets.Envelope.Parser.ParseFrom(envelope).Payload.Span;
        var at = inSignature ? envelope.Length - 3 : envelope.AsSpan().IndexOf(payload[..16]) + 5;
        envelope[at] ^= 0x04;
        Update(database, "UPDATE packets SET envelope = $value WHERE id = $id", id, envelope);
    }

    /// <summary>Runs an UPDATE of packet <paramref name="id"/> (bound as <c>$id</c>) with <c>$value</c>; it must change one row.</summary>
    public static void Update(string database, string sql, byte[] id, object value)
    {
        using var connection = Connect(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$value", value);
        if (command.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"No packet {Convert.ToHexStringLower(id)} in {database} was changed.");
        }
    }

    private static SqliteConnection Connect(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
