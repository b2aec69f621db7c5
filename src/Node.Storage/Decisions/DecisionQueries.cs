using System.Text;
using Microsoft.Data.Sqlite;
using Node.Storage.Internal;

namespace Node.Storage.Decisions;

/// <summary>Reads the decision matrix's decisions (table <c>decisions</c>).</summary>
public class DecisionQueries
{
    private const string Columns = "id, type, status, confidence, created_at, decided_at, decided_by, reason, explanation, subject";

    internal DecisionQueries(CommandCache commands) => Commands = commands;

    private protected CommandCache Commands { get; }

    /// <summary>
    /// Decisions newest first (by creation, then id), those with <paramref name="status"/> or all
    /// when null, starting after the position <paramref name="after"/> (from a previous page).
    /// </summary>
    public IReadOnlyList<DecisionRecord> List(string? status, (long CreatedAt, string Id)? after, int limit)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM decisions WHERE 1");
        if (status is not null)
        {
            sql.Append(" AND status = $status");
        }

        if (after is not null)
        {
            sql.Append(" AND (created_at < $at OR (created_at = $at AND id < $id))");
        }

        sql.Append(" ORDER BY created_at DESC, id DESC LIMIT $limit");
        var command = Commands.Get(sql.ToString()).With("$limit", limit);
        if (status is not null)
        {
            command.With("$status", status);
        }

        if (after is { } position)
        {
            command.With("$at", position.CreatedAt).With("$id", position.Id);
        }

        return ReadAll(command, _ => true).Select(d => d.Decision).ToList();
    }

    /// <summary>The decision <paramref name="id"/>, or null.</summary>
    public DecisionRecord? Find(string id) =>
        ReadAll(Commands.Get($"SELECT {Columns} FROM decisions WHERE id = $id").With("$id", id), _ => true) is [var found] ? found.Decision : null;

    /// <summary>The newest decision of <paramref name="type"/> about <paramref name="subject"/>, or null.</summary>
    public DecisionRecord? About(string type, string subject) =>
        ReadAll(Commands.Get($"SELECT {Columns} FROM decisions WHERE type = $type AND subject = $subject ORDER BY created_at DESC, id DESC LIMIT 1")
            .With("$type", type).With("$subject", subject), _ => true) is [var found] ? found.Decision : null;

    /// <summary>The type and creation time (Unix ms) of every decision with <paramref name="status"/> created at or after <paramref name="since"/>.</summary>
    public IReadOnlyList<(string Type, long CreatedAt)> CreatedSince(string status, long since)
    {
        var command = Commands.Get("SELECT type, created_at FROM decisions WHERE status = $status AND created_at >= $since")
            .With("$status", status).With("$since", since);
        var found = new List<(string, long)>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            found.Add((rows.GetString(0), rows.GetInt64(1)));
        }

        return found;
    }

    /// <summary>
    /// Every pending decision, and every other created or decided at or after <paramref name="since"/>
    /// (Unix ms), oldest first; each with whether its decision packet (topic <c>decisions</c>, key its id) is stored.
    /// </summary>
    public IReadOnlyList<(DecisionRecord Decision, bool HasPacket)> ForAudit(long since) =>
        ReadAll(Commands.Get($"""
            SELECT {Columns}, EXISTS (SELECT 1 FROM packets p WHERE p.topic = 'decisions' AND p.key = decisions.id)
            FROM decisions
            WHERE status = $pending OR created_at >= $since OR decided_at >= $since
            ORDER BY created_at, id
            """).With("$pending", DecisionStatuses.Pending).With("$since", since), row => row.GetInt64(10) != 0);

    private static List<(DecisionRecord Decision, bool HasPacket)> ReadAll(SqliteCommand command, Func<SqliteDataReader, bool> hasPacket)
    {
        var decisions = new List<(DecisionRecord, bool)>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            decisions.Add((new DecisionRecord(rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.IsDBNull(3) ? double.NaN : rows.GetDouble(3),
                rows.GetInt64(4), rows.Int64OrNull(5), rows.TextOrNull(6), rows.TextOrNull(7),
                rows[8] is byte[] explanation ? Encoding.UTF8.GetString(explanation) : rows.GetString(8), rows.TextOrNull(9)), hasPacket(rows)));
        }

        return decisions;
    }
}
