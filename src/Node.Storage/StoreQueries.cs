using System.Buffers.Binary;
using Node.Storage.Internal;

namespace Node.Storage;

/// <summary>Reads about the store itself: its schema, its integrity, its free space.</summary>
public sealed class StoreQueries
{
    private readonly CommandCache _commands;

    internal StoreQueries(CommandCache commands) => _commands = commands;

    /// <summary>The schema version the file is at (<c>PRAGMA user_version</c>).</summary>
    public int SchemaVersion() => (int)(long)_commands.Get("PRAGMA user_version").ExecuteScalar()!;

    /// <summary>What <c>PRAGMA quick_check</c> says, at most <paramref name="findings"/> findings joined by "; ": "ok" when sound.</summary>
    public string QuickCheck(int findings = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(findings);
        var found = new List<string>();
        using var rows = _commands.Get($"PRAGMA quick_check({findings})").ExecuteReader();
        while (rows.Read())
        {
            found.Add(rows.GetString(0));
        }

        return found.Count == 0 ? "no answer" : string.Join("; ", found);
    }

    /// <summary>Where the scrub stands: the sequence a scrub under way has verified up to, and when the last one finished.</summary>
    public ScrubState ScrubState()
    {
        var cursor = StoreInfo.Read(_commands.Connection, StoreInfo.ScrubCursor) is { Length: 8 } c ? BinaryPrimitives.ReadInt64BigEndian(c) : (long?)null;
        var completed = StoreInfo.Read(_commands.Connection, StoreInfo.ScrubCompletedAt) is { Length: 8 } d ? BinaryPrimitives.ReadInt64BigEndian(d) : (long?)null;
        return new ScrubState(cursor, completed);
    }

    /// <summary>Pages in the database file that hold nothing (returned to the disk by maintenance).</summary>
    public long FreePages() => (long)_commands.Get("PRAGMA freelist_count").ExecuteScalar()!;
}
