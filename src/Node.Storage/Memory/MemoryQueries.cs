using Node.Storage.Internal;

namespace Node.Storage.Memory;

/// <summary>Reads the reasoning memory: conclusions, and the pipeline's learnt state.</summary>
public class MemoryQueries
{
    private const long DayMs = 86_400_000;

    internal MemoryQueries(CommandCache commands) => Commands = commands;

    private protected CommandCache Commands { get; }

    /// <summary>The content of the newest row of <paramref name="kind"/>, or null.</summary>
    public byte[]? Latest(string kind) =>
        Commands.Get("SELECT content FROM memory WHERE kind = $kind ORDER BY id DESC LIMIT 1").With("$kind", kind).Scalar() as byte[];

    /// <summary>The time (Unix ms) of the oldest row of <paramref name="kind"/>, or null when there is none.</summary>
    public long? OldestTime(string kind) => Commands.Get("SELECT min(time) FROM memory WHERE kind = $kind").With("$kind", kind).Scalar() as long?;

    /// <summary>The rows of <paramref name="kind"/>, oldest first (by row id).</summary>
    public IReadOnlyList<MemoryRow> Rows(string kind)
    {
        var found = new List<MemoryRow>();
        using var rows = Commands.Get("SELECT id, subject, time, kind, content FROM memory WHERE kind = $kind ORDER BY id").With("$kind", kind).ExecuteReader();
        while (rows.Read())
        {
            found.Add(new MemoryRow(rows.GetInt64(0), rows.GetString(1), rows.GetInt64(2), rows.GetString(3), (byte[])rows[4]));
        }

        return found;
    }

    /// <summary>
    /// The rows of <paramref name="kind"/> from the epoch up to <paramref name="before"/> (Unix ms,
    /// exclusive), counted per subject, UTC day, claim and direction; ordered by subject, day, claim, direction.
    /// </summary>
    public IReadOnlyList<ConclusionTally> DailyTallies(string kind, long before)
    {
        var command = Commands.Get("""
            SELECT subject, time / 86400000 AS day, json_extract(content, '$.claim') AS claim,
                   json_extract(content, '$.direction') AS direction, COUNT(*),
                   TOTAL(json_extract(content, '$.confidence')), COUNT(json_extract(content, '$.confidence')), MIN(time), MAX(time)
            FROM memory WHERE kind = $kind AND time >= 0 AND time < $before
            GROUP BY subject, day, claim, direction
            ORDER BY subject, day, claim, direction
            """).With("$kind", kind).With("$before", before);
        var tallies = new List<ConclusionTally>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            tallies.Add(new ConclusionTally(rows.GetString(0), rows.GetInt64(1) * DayMs, rows.TextOrNull(2) ?? "", rows.IsDBNull(3) ? 0 : rows.GetInt32(3),
                rows.GetInt64(4), rows.GetDouble(5), rows.GetInt64(6), rows.GetInt64(7), rows.GetInt64(8)));
        }

        return tallies;
    }
}
