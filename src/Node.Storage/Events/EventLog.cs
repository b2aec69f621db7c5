using Microsoft.Data.Sqlite;

namespace Node.Storage.Events;

/// <summary>Verifies the event log's chain on a connection: the store's own checks at open and of a backup, and <see cref="EventQueries.Verify"/>.</summary>
internal static class EventLog
{
    /// <summary>
    /// Walks the chain from <paramref name="fromSeq"/> to the end. With <paramref name="fromSeq"/>
    /// above 1 the entry before it is taken as the anchor (a tail check); from 1 the anchor is the genesis hash.
    /// </summary>
    /// <returns>The first entry that does not chain — changed, removed or reordered — or an intact result.</returns>
    public static ChainVerification Verify(SqliteConnection connection, long fromSeq = 1)
    {
        ArgumentNullException.ThrowIfNull(connection);
        fromSeq = Math.Max(1, fromSeq);
        long expectedSeq = fromSeq;
        byte[] prevHash = EventChain.Genesis.ToArray();
        if (fromSeq > 1)
        {
            using var anchor = connection.CreateCommand();
            anchor.CommandText = "SELECT seq, hash FROM events WHERE seq < $from ORDER BY seq DESC LIMIT 1";
            anchor.Parameters.AddWithValue("$from", fromSeq);
            using var reader = anchor.ExecuteReader();
            if (reader.Read())
            {
                expectedSeq = reader.GetInt64(0) + 1;
                // An anchor of the wrong type cannot match any entry's previous hash: the next entry is reported.
                prevHash = reader.GetValue(1) as byte[] ?? [];
            }
            else
            {
                expectedSeq = 1;
            }
        }

        using var command = connection.CreateCommand();
        // From the start, every row: a forged row at seq 0 or below must show up, not be skipped.
        command.CommandText = expectedSeq <= 1
            ? "SELECT seq, time, kind, payload, prev_hash, hash FROM events ORDER BY seq"
            : "SELECT seq, time, kind, payload, prev_hash, hash FROM events WHERE seq >= $from ORDER BY seq";
        command.Parameters.AddWithValue("$from", expectedSeq);
        using var rows = command.ExecuteReader();
        long verified = 0;
        var headSeq = expectedSeq - 1;
        while (rows.Read())
        {
            var seq = rows.GetInt64(0);
            string? problem = null;
            byte[]? storedHash = null;
            if (seq != expectedSeq)
            {
                problem = seq > expectedSeq
                    ? $"entries {expectedSeq} to {seq - 1} are missing"
                    : $"sequence {seq} is out of order (expected {expectedSeq})";
            }
            else if (rows.GetValue(1) is not long time || rows.GetValue(2) is not string kind || rows.GetValue(3) is not byte[] payload ||
                     rows.GetValue(4) is not byte[] storedPrev || rows.GetValue(5) is not byte[] hash)
            {
                problem = "a column holds a value of the wrong type: it was written outside the node";
            }
            else if (!storedPrev.AsSpan().SequenceEqual(prevHash))
            {
                problem = $"it does not follow entry {seq - 1} (its previous hash differs): entries were reordered, replaced or removed";
            }
            else if (!EventChain.Hash(prevHash, seq, time, kind, payload).AsSpan().SequenceEqual(hash))
            {
                problem = "its content was changed (its hash does not match)";
            }
            else
            {
                storedHash = hash;
            }

            if (problem is not null)
            {
                return new ChainVerification(verified, headSeq, prevHash, seq, problem);
            }

            verified++;
            headSeq = seq;
            prevHash = storedHash!;
            expectedSeq = seq + 1;
        }

        return new ChainVerification(verified, headSeq, prevHash, null, null);
    }

    internal static EventEntry Read(SqliteDataReader rows) =>
        new(rows.GetInt64(0), rows.GetInt64(1), rows.GetString(2), (byte[])rows[3], (byte[])rows[4], (byte[])rows[5]);
}
