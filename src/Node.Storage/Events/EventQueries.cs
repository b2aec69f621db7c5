using Microsoft.Data.Sqlite;
using Node.Storage.Internal;

namespace Node.Storage.Events;

/// <summary>Reads and verifies the event log (appending goes through <see cref="Writing.WriteContext"/>).</summary>
public sealed class EventQueries
{
    private const string Columns = "seq, time, kind, payload, prev_hash, hash";
    private readonly CommandCache _commands;

    internal EventQueries(CommandCache commands) => _commands = commands;

    /// <summary>
    /// Walks the chain from <paramref name="fromSeq"/> to the end. With <paramref name="fromSeq"/>
    /// above 1 the entry before it is taken as the anchor (a tail check); from 1 the anchor is the genesis hash.
    /// </summary>
    /// <returns>The first entry that does not chain — changed, removed or reordered — or an intact result.</returns>
    public ChainVerification Verify(long fromSeq = 1) => EventLog.Verify(_commands.Connection, fromSeq);

    /// <summary>The sequence of the last entry; 0 for an empty log.</summary>
    public long HeadSeq() => (long)_commands.Get("SELECT coalesce(max(seq), 0) FROM events").ExecuteScalar()!;

    /// <summary>The last entry, or <see langword="null"/> for an empty log.</summary>
    public EventEntry? Head() => Tail(1) is [var head] ? head : null;

    /// <summary>The last <paramref name="count"/> entries, oldest first.</summary>
    public IReadOnlyList<EventEntry> Tail(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var entries = ReadAll(_commands.Get($"SELECT {Columns} FROM events ORDER BY seq DESC LIMIT $n").With("$n", count));
        entries.Reverse();
        return entries;
    }

    /// <summary>The newest entry of <paramref name="kind"/>, or null.</summary>
    public EventEntry? LastOfKind(string kind) =>
        ReadAll(_commands.Get($"SELECT {Columns} FROM events WHERE kind = $kind ORDER BY seq DESC LIMIT 1").With("$kind", kind)) is [var last]
            ? last
            : null;

    /// <summary>Entries after <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<EventEntry> After(long afterSeq, int limit) =>
        ReadAll(_commands.Get($"SELECT {Columns} FROM events WHERE seq > $after ORDER BY seq LIMIT $n").With("$after", afterSeq).With("$n", limit));

    /// <summary>Entries of <paramref name="first"/> or <paramref name="second"/> kind appended at or after <paramref name="since"/> (Unix ms), oldest first.</summary>
    public IReadOnlyList<EventEntry> OfKinds(string first, string second, long since = long.MinValue) =>
        ReadAll(_commands.Get($"SELECT {Columns} FROM events WHERE kind IN ($first, $second) AND time >= $since ORDER BY seq")
            .With("$first", first).With("$second", second).With("$since", since));

    private static List<EventEntry> ReadAll(SqliteCommand command)
    {
        var entries = new List<EventEntry>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            entries.Add(EventLog.Read(rows));
        }

        return entries;
    }
}
