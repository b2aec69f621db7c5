using System.Text;
using Microsoft.Data.Sqlite;
using Node.Storage.Events;

namespace Node.Storage.Decisions;

/// <summary>Reads decisions and records a guardian's verdict on a pending one (with an event).</summary>
public static class DecisionLedger
{
    private const string Columns = "id, type, status, confidence, created_at, decided_at, decided_by, reason, explanation";

    /// <summary>
    /// Decisions newest first (by creation, then id), those with <paramref name="status"/> or all
    /// when null, starting after the position <paramref name="after"/> (from a previous page).
    /// </summary>
    public static IReadOnlyList<DecisionRecord> List(SqliteConnection connection, string? status, (long CreatedAt, string Id)? after, int limit)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM decisions WHERE 1");
        if (status is not null)
        {
            sql.Append(" AND status = $status");
            command.Parameters.AddWithValue("$status", status);
        }

        if (after is { } position)
        {
            sql.Append(" AND (created_at < $at OR (created_at = $at AND id < $id))");
            command.Parameters.AddWithValue("$at", position.CreatedAt);
            command.Parameters.AddWithValue("$id", position.Id);
        }

        sql.Append(" ORDER BY created_at DESC, id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = sql.ToString();
        var decisions = new List<DecisionRecord>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            decisions.Add(Read(rows));
        }

        return decisions;
    }

    /// <summary>The decision <paramref name="id"/>, or null.</summary>
    public static DecisionRecord? Find(SqliteConnection connection, string id)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM decisions WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var rows = command.ExecuteReader();
        return rows.Read() ? Read(rows) : null;
    }

    /// <summary>
    /// Approves (<paramref name="approve"/>) or rejects a pending decision, recording the guardian,
    /// the reason and <see cref="EventKinds.DecisionDecided"/> in one transaction.
    /// </summary>
    public static Task<VerdictOutcome> DecideAsync(NodeStore store, string id, bool approve, string guardian, string reason,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Writer.WriteAsync(context =>
        {
            var current = context.Command("SELECT status FROM decisions WHERE id = $id");
            current.Parameters.AddWithValue("$id", id);
            switch (current.ExecuteScalar() as string)
            {
                case null:
                    return VerdictOutcome.NotFound;
                case not DecisionStatuses.Pending:
                    return VerdictOutcome.NotPending;
            }

            var verdict = approve ? DecisionStatuses.Approved : DecisionStatuses.Rejected;
            var update = context.Command("UPDATE decisions SET status = $status, decided_at = $now, decided_by = $by, reason = $reason WHERE id = $id");
            update.Parameters.AddWithValue("$status", verdict);
            update.Parameters.AddWithValue("$now", context.Now);
            update.Parameters.AddWithValue("$by", guardian);
            update.Parameters.AddWithValue("$reason", reason);
            update.Parameters.AddWithValue("$id", id);
            update.ExecuteNonQuery();
            context.AppendEvent(EventKinds.DecisionDecided, EventPayload.Of(("id", id), ("verdict", verdict), ("guardian", guardian), ("reason", reason)));
            return VerdictOutcome.Decided;
        }, cancellationToken);
    }

    private static DecisionRecord Read(SqliteDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetString(2), row.GetDouble(3), row.GetInt64(4),
            row.IsDBNull(5) ? null : row.GetInt64(5), row.IsDBNull(6) ? null : row.GetString(6), row.IsDBNull(7) ? null : row.GetString(7),
            row[8] is byte[] explanation ? Encoding.UTF8.GetString(explanation) : row.GetString(8));
}
