using System.Text;
using Microsoft.Data.Sqlite;
using Node.Storage.Internal;

namespace Node.Storage.Packets;

/// <summary>
/// Reads stored packets (not held or quarantined ones). Every query that serves packets leaves out
/// those marked corrupt (<see cref="Writing.WriteContext.MarkCorrupt"/>); <see cref="ForScrub"/>,
/// the counts and <see cref="Corrupt"/> see them.
/// </summary>
public sealed class PacketQueries
{
    private const string Columns = "seq, received_at, id, envelope, topic, key, author, kind, hlc, coalesce(scope, 1)";

    // Columns every schema version has (a backup made by an older build has no scope): 1 stands in.
    private const string ScrubColumns = "seq, received_at, id, envelope, topic, key, author, kind, hlc, 1";
    private readonly CommandCache _commands;

    internal PacketQueries(CommandCache commands) => _commands = commands;

    /// <summary>The packet <paramref name="id"/>, or null when it is not stored or marked corrupt (<see cref="CorruptReason"/>).</summary>
    public StoredPacket? ById(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var rows = _commands.Get($"SELECT {Columns} FROM packets WHERE id = $id AND corrupt IS NULL").With("$id", id).ExecuteReader();
        return rows.Read() ? Read(rows) : null;
    }

    /// <summary>Why the stored packet <paramref name="id"/> is marked corrupt; null when it is sound or not stored.</summary>
    public string? CorruptReason(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _commands.Get("SELECT corrupt FROM packets WHERE id = $id").With("$id", id).Scalar() as string;
    }

    /// <summary>How many stored packets are marked corrupt.</summary>
    public long CorruptCount() => (long)_commands.Get("SELECT count(*) FROM packets WHERE corrupt IS NOT NULL").ExecuteScalar()!;

    /// <summary>The packets marked corrupt, in receive order, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<CorruptPacket> Corrupt(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var found = new List<CorruptPacket>();
        using var rows = _commands.Get("SELECT id, seq, corrupt FROM packets WHERE corrupt IS NOT NULL ORDER BY seq LIMIT $limit")
            .With("$limit", limit).ExecuteReader();
        while (rows.Read())
        {
            found.Add(new CorruptPacket((byte[])rows[0], rows.GetInt64(1), rows.GetString(2)));
        }

        return found;
    }

    /// <summary>
    /// Every stored packet with a receive sequence after <paramref name="afterSeq"/>, marked corrupt
    /// or not, oldest first, at most <paramref name="limit"/>: a scrub's batch (keyset paging by
    /// sequence, so a batch costs the same wherever it starts). Reads the columns of every schema
    /// version, so it also walks a backup made by an older build (the scope is not read: Local).
    /// </summary>
    public IReadOnlyList<StoredPacket> ForScrub(long afterSeq, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var packets = new List<StoredPacket>();
        using var rows = _commands.Get($"SELECT {ScrubColumns} FROM packets WHERE seq > $after ORDER BY seq LIMIT $limit")
            .With("$after", afterSeq).With("$limit", limit).ExecuteReader();
        while (rows.Read())
        {
            packets.Add(Read(rows));
        }

        return packets;
    }

    /// <summary>The receive sequence of the newest stored packet; 0 when none is.</summary>
    public long LastSeq() => (long)_commands.Get("SELECT coalesce(max(seq), 0) FROM packets").ExecuteScalar()!;

    /// <summary>How many packets are stored, those marked corrupt included.</summary>
    public long Count() => (long)_commands.Get("SELECT count(*) FROM packets").ExecuteScalar()!;

    /// <summary>How many packets are held for missing dependencies.</summary>
    public long HeldCount() => (long)_commands.Get("SELECT count(*) FROM held_packets").ExecuteScalar()!;

    /// <summary>How many dependencies the held packets still wait for (one per packet and missing id).</summary>
    public long HeldDependencyCount() => (long)_commands.Get("SELECT count(*) FROM held_missing").ExecuteScalar()!;

    /// <summary>How many packets are in quarantine.</summary>
    public long QuarantinedCount() => (long)_commands.Get("SELECT count(*) FROM quarantine").ExecuteScalar()!;

    /// <summary>Whether a sound packet of <paramref name="kind"/> by <paramref name="author"/> fills the slot (<paramref name="topic"/>, <paramref name="key"/>).</summary>
    public bool Fills(string topic, string key, string kind, string author) =>
        _commands.Get("SELECT 1 FROM packets WHERE topic = $topic AND key = $key AND kind = $kind AND author = $author AND corrupt IS NULL LIMIT 1")
            .With("$topic", topic).With("$key", key).With("$kind", kind).With("$author", author).ExecuteScalar() is not null;

    /// <summary>
    /// The keys of <paramref name="topic"/>'s slots that hold a sound packet, in ordinal order, after
    /// <paramref name="afterKey"/> (empty: from the first), at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<string> KeysOf(string topic, string afterKey, int limit)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(afterKey);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var keys = new List<string>();
        using var rows = _commands.Get("SELECT DISTINCT key FROM packets WHERE topic = $topic AND key > $after AND corrupt IS NULL ORDER BY key LIMIT $limit")
            .With("$topic", topic).With("$after", afterKey).With("$limit", limit).ExecuteReader();
        while (rows.Read())
        {
            keys.Add(rows.GetString(0));
        }

        return keys;
    }

    /// <summary>Every sound packet of the slot (<paramref name="topic"/>, <paramref name="key"/>), in receive order.</summary>
    public IReadOnlyList<StoredPacket> BySlot(string topic, string key) => After(new PacketFilter(topic, key), 0, int.MaxValue);

    /// <summary>
    /// Sound packets matching <paramref name="filter"/> with a receive sequence after
    /// <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<StoredPacket> After(PacketFilter filter, long afterSeq, int limit)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var sql = new StringBuilder($"SELECT {Columns} FROM packets WHERE seq > $after AND corrupt IS NULL");
        foreach (var (column, value) in Matches(filter))
        {
            sql.Append($" AND {column} = ${column}");
        }

        sql.Append(" ORDER BY seq LIMIT $limit");
        var command = _commands.Get(sql.ToString()).With("$after", afterSeq).With("$limit", limit);
        foreach (var (column, value) in Matches(filter))
        {
            command.With("$" + column, value);
        }

        var packets = new List<StoredPacket>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            packets.Add(Read(rows));
        }

        return packets;
    }

    private static IEnumerable<(string Column, string Value)> Matches(PacketFilter filter)
    {
        if (filter.Topic is { } topic)
        {
            yield return ("topic", topic);
        }

        if (filter.Key is { } key)
        {
            yield return ("key", key);
        }

        if (filter.Kind is { } kind)
        {
            yield return ("kind", kind);
        }

        if (filter.Author is { } author)
        {
            yield return ("author", author);
        }
    }

    private static StoredPacket Read(SqliteDataReader row) =>
        new(row.GetInt64(0), row.GetInt64(1),
            new PacketRecord((byte[])row[2], (byte[])row[3], row.GetString(4), row.GetString(5), row.GetString(6), row.GetString(7), row.GetInt64(8),
                (PacketScope)row.GetInt64(9)));
}
