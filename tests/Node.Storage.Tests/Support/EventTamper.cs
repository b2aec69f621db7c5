using Microsoft.Data.Sqlite;

namespace Node.Storage.Tests.Support;

/// <summary>How the tamper tests damage an event log: what someone editing node.db by hand could do.</summary>
public enum Tampering
{
    /// <summary>One byte of one entry's payload flipped.</summary>
    ChangePayloadByte,

    /// <summary>One entry deleted.</summary>
    DeleteEntry,

    /// <summary>Two entries' contents (time, kind, payload, hashes) exchanged; their seq stays.</summary>
    SwapEntries,
}

/// <summary>Damages the event log of a closed store through plain SQL.</summary>
public static class EventTamper
{
    /// <summary>Damages entry <paramref name="seq"/> (and, for a swap, <paramref name="otherSeq"/>).</summary>
    public static void Apply(string databasePath, Tampering tampering, long seq, long otherSeq = 0)
    {
        using var connection = TestStore.Connect(databasePath);
        switch (tampering)
        {
            case Tampering.ChangePayloadByte:
                ChangePayloadByte(connection, seq);
                break;
            case Tampering.DeleteEntry:
                Delete(connection, seq);
                break;
            case Tampering.SwapEntries:
                Swap(connection, seq, otherSeq);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering), tampering, null);
        }
    }

    public static void ChangePayloadByte(SqliteConnection connection, long seq)
    {
        var payload = TestStore.Scalar<byte[]>(connection, "SELECT payload FROM events WHERE seq = $seq", ("$seq", seq));
        payload[payload.Length / 2] ^= 0x01;
        Changed(connection, "UPDATE events SET payload = $payload WHERE seq = $seq", ("$payload", payload), ("$seq", seq));
    }

    public static void Delete(SqliteConnection connection, long seq) =>
        Changed(connection, "DELETE FROM events WHERE seq = $seq", ("$seq", seq));

    public static void Swap(SqliteConnection connection, long a, long b)
    {
        TestStore.Execute(connection, "BEGIN");
        // Park a at an unused seq, move b's content into a's place, a's into b's.
        Changed(connection, "UPDATE events SET seq = -1 WHERE seq = $a", ("$a", a));
        Changed(connection, "UPDATE events SET seq = $a WHERE seq = $b", ("$a", a), ("$b", b));
        Changed(connection, "UPDATE events SET seq = $b WHERE seq = -1", ("$b", b));
        TestStore.Execute(connection, "COMMIT");
    }

    /// <summary>
    /// Drops the append-only triggers, as anyone editing the file by hand can: they guard against
    /// the node's own mistakes, and the hash chain is what must catch this.
    /// </summary>
    public static void Unguard(SqliteConnection connection) => TestStore.Execute(connection,
        "DROP TRIGGER IF EXISTS events_append_only_update; DROP TRIGGER IF EXISTS events_append_only_delete;");

    private static void Changed(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        Unguard(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        if (command.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"Tampering changed no entry: {sql}");
        }
    }
}
