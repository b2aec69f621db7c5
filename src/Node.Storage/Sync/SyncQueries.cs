using Microsoft.Data.Sqlite;
using Node.Storage.Internal;
using Node.Storage.Packets;

namespace Node.Storage.Sync;

/// <summary>
/// What knowledge sync reads: the views peers are served (stored packets of a scope and wider, never
/// corrupt, quarantined or held ones), cursors into peers' stores, retractions, quarantine, authors' keys.
/// </summary>
public class SyncQueries
{
    internal SyncQueries(CommandCache commands) => Commands = commands;

    /// <summary>The commands of the connection it reads on.</summary>
    private protected CommandCache Commands { get; }

    /// <summary>
    /// The packets of the view <paramref name="lowest"/> and wider with a receive sequence after
    /// <paramref name="afterSeq"/>, in receive order: at most <paramref name="maxPackets"/>, and the
    /// page stops after the packet that reaches <paramref name="maxBytes"/> of envelopes. One snapshot.
    /// </summary>
    public ViewPage After(PacketScope lowest, long afterSeq, int maxPackets, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPackets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        // One statement, one snapshot: the newest sequence read with the rows it bounds.
        using var rows = Commands.Get("""
            SELECT (SELECT coalesce(max(seq), 0) FROM packets), seq, id, envelope, author FROM
              (SELECT seq, id, envelope, author FROM packets WHERE seq > $after AND scope >= $lowest AND corrupt IS NULL ORDER BY seq LIMIT $limit)
            UNION ALL SELECT (SELECT coalesce(max(seq), 0) FROM packets), NULL, NULL, NULL, NULL
            """).With("$after", afterSeq).With("$lowest", (int)lowest).With("$limit", maxPackets).ExecuteReader();
        var packets = new List<ViewPacket>();
        long lastSeq = 0, bytes = 0;
        var full = false;
        while (rows.Read())
        {
            lastSeq = rows.GetInt64(0);
            if (rows.IsDBNull(1) || full)
            {
                continue;
            }

            var envelope = (byte[])rows[3];
            packets.Add(new ViewPacket(rows.GetInt64(1), (byte[])rows[2], envelope, rows.GetString(4)));
            bytes += envelope.Length;
            full = bytes >= maxBytes;
        }

        // A full page covers up to its last packet; otherwise the view held nothing more up to lastSeq.
        var scannedTo = full || packets.Count == maxPackets ? packets[^1].Seq : Math.Max(lastSeq, afterSeq);
        return new ViewPage(packets, scannedTo, lastSeq);
    }

    /// <summary>Every (hlc, id) of the view <paramref name="lowest"/> and wider, ordered by hlc then id: the set reconciliation works on.</summary>
    public IEnumerable<(long Hlc, byte[] Id)> Keys(PacketScope lowest)
    {
        using var rows = Commands.Get("SELECT hlc, id FROM packets WHERE scope >= $lowest AND corrupt IS NULL ORDER BY hlc, id")
            .With("$lowest", (int)lowest).ExecuteReader();
        while (rows.Read())
        {
            yield return (rows.GetInt64(0), (byte[])rows[1]);
        }
    }

    /// <summary>How many packets the view <paramref name="lowest"/> and wider holds.</summary>
    public long Count(PacketScope lowest) =>
        (long)Commands.Get("SELECT count(*) FROM packets WHERE scope >= $lowest AND corrupt IS NULL").With("$lowest", (int)lowest).ExecuteScalar()!;

    /// <summary>The packet <paramref name="id"/> when it is in the view <paramref name="lowest"/> and wider; null otherwise (absent, narrower, corrupt).</summary>
    public ViewPacket? InView(byte[] id, PacketScope lowest)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var rows = Commands.Get("SELECT seq, id, envelope, author FROM packets WHERE id = $id AND scope >= $lowest AND corrupt IS NULL")
            .With("$id", id).With("$lowest", (int)lowest).ExecuteReader();
        return rows.Read() ? new ViewPacket(rows.GetInt64(0), (byte[])rows[1], (byte[])rows[2], rows.GetString(3)) : null;
    }

    /// <summary>
    /// The packets <paramref name="ids"/> that are in the view <paramref name="lowest"/> and wider, taken
    /// in order until the one whose envelope reaches <paramref name="maxBytes"/> (in all): one answer per
    /// id up to there, null where <see cref="InView(byte[], PacketScope)"/> would say null. Two statements
    /// for the lot (the sizes, then the envelopes that fit); each answer held when it was read, as one
    /// lookup per id would (a packet removed between the two is absent).
    /// </summary>
    /// <returns>The answers, one per id looked at; the ids after them were not looked at (the reply is full).</returns>
    public IReadOnlyList<ViewPacket?> InView(IReadOnlyList<byte[]> ids, PacketScope lowest, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (ids.Count == 0)
        {
            return [];
        }

        var sizes = new long?[ids.Count];
        using (var rows = Commands.Get($"""
            WITH RECURSIVE {IdList.Cte}
            SELECT ids.n, length(packets.envelope) FROM ids JOIN packets ON packets.id = ids.id WHERE packets.scope >= $lowest AND packets.corrupt IS NULL
            """).With("$ids", IdList.Join(ids)).With("$lowest", (int)lowest).ExecuteReader())
        {
            while (rows.Read())
            {
                sizes[rows.GetInt32(0)] = rows.GetInt64(1);
            }
        }

        var looked = 0;
        long bytes = 0;
        while (looked < ids.Count && bytes < maxBytes)
        {
            bytes += sizes[looked++] ?? 0;
        }

        var wanted = Enumerable.Range(0, looked).Where(i => sizes[i] is not null).ToList();
        var found = new ViewPacket?[looked];
        using (var rows = Commands.Get($"""
            WITH RECURSIVE {IdList.Cte}
            SELECT ids.n, packets.seq, packets.id, packets.envelope, packets.author FROM ids JOIN packets ON packets.id = ids.id
            WHERE packets.scope >= $lowest AND packets.corrupt IS NULL
            """).With("$ids", IdList.Join([.. wanted.Select(i => ids[i])])).With("$lowest", (int)lowest).ExecuteReader())
        {
            while (rows.Read())
            {
                found[wanted[rows.GetInt32(0)]] = new ViewPacket(rows.GetInt64(1), (byte[])rows[2], (byte[])rows[3], rows.GetString(4));
            }
        }

        return found;
    }

    /// <summary>
    /// Whether the packet <paramref name="id"/> is here already, or kept out: stored, held or rejected —
    /// and, unless <paramref name="forKnowledgeBase"/> (a core peer offers it), waiting in quarantine.
    /// </summary>
    public bool Knows(byte[] id, bool forKnowledgeBase)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Commands.Get("""
            SELECT EXISTS (SELECT 1 FROM packets WHERE id = $id) OR EXISTS (SELECT 1 FROM held_packets WHERE id = $id)
                OR (NOT $kb AND EXISTS (SELECT 1 FROM quarantine WHERE id = $id)) OR EXISTS (SELECT 1 FROM rejected_packets WHERE id = $id)
            """).With("$id", id).With("$kb", forKnowledgeBase).ExecuteScalar() is 1L;
    }

    /// <summary>
    /// For each packet offered, whether it is stored here with exactly these envelope bytes and not
    /// marked corrupt: bytes this node verified and still holds intact. One statement for the lot.
    /// </summary>
    /// <param name="offered">Each packet's id (32 bytes) and envelope, as offered.</param>
    /// <returns>One flag per packet, in order.</returns>
    public bool[] StoredAsIs(IReadOnlyList<(byte[] Id, byte[] Envelope)> offered)
    {
        ArgumentNullException.ThrowIfNull(offered);
        var found = new bool[offered.Count];
        if (offered.Count == 0)
        {
            return found;
        }

        using var rows = Commands.Get($"WITH RECURSIVE {IdList.Cte} SELECT ids.n, packets.envelope FROM ids JOIN packets ON packets.id = ids.id WHERE packets.corrupt IS NULL")
            .With("$ids", IdList.Join([.. offered.Select(p => p.Id)])).ExecuteReader();
        while (rows.Read())
        {
            var n = rows.GetInt32(0);
            found[n] = ((byte[])rows[1]).AsSpan().SequenceEqual(offered[n].Envelope);
        }

        return found;
    }

    /// <summary>
    /// Where each of <paramref name="ids"/> is found — stored, retracted, in quarantine, awaited by a
    /// held packet, rejected — in one statement for the lot: what the intake would otherwise ask
    /// packet by packet.
    /// </summary>
    /// <param name="ids">Packet ids, 32 bytes each.</param>
    /// <returns>One answer per id, in order.</returns>
    public PacketPresence[] Presence(IReadOnlyList<byte[]> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new PacketPresence[ids.Count];
        if (ids.Count == 0)
        {
            return found;
        }

        using var rows = Commands.Get($"""
            WITH RECURSIVE {IdList.Cte}
            SELECT n, EXISTS (SELECT 1 FROM packets WHERE id = ids.id) + 2 * EXISTS (SELECT 1 FROM retractions WHERE target = ids.id)
                + 4 * EXISTS (SELECT 1 FROM quarantine WHERE id = ids.id) + 8 * EXISTS (SELECT 1 FROM held_missing WHERE missing = ids.id)
                + 16 * EXISTS (SELECT 1 FROM rejected_packets WHERE id = ids.id)
            FROM ids
            """).With("$ids", IdList.Join(ids)).ExecuteReader();
        while (rows.Read())
        {
            found[rows.GetInt32(0)] = (PacketPresence)rows.GetInt32(1);
        }

        return found;
    }

    /// <summary>The author of the stored packet <paramref name="id"/> (marked corrupt or not), or null when it is not stored.</summary>
    public string? StoredAuthor(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Commands.Get("SELECT author FROM packets WHERE id = $id").With("$id", id).Scalar() as string;
    }

    /// <summary>The envelope of the held packet <paramref name="id"/>, or null when it is not held.</summary>
    public byte[]? HeldEnvelope(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Commands.Get("SELECT envelope FROM held_packets WHERE id = $id").With("$id", id).Scalar() as byte[];
    }

    /// <summary>Whether any retraction of <paramref name="id"/> is recorded (by whoever: a dependency on it is then met).</summary>
    public bool IsRetracted(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Commands.Get("SELECT 1 FROM retractions WHERE target = $id LIMIT 1").With("$id", id).ExecuteScalar() is not null;
    }

    /// <summary>The cursor into <paramref name="peer"/>'s store, or null before the first catch-up.</summary>
    public SyncCursor? Cursor(string peer)
    {
        ArgumentException.ThrowIfNullOrEmpty(peer);
        using var rows = Commands.Get("SELECT view_scope, epoch, seq, updated_at FROM sync_cursors WHERE peer = $peer").With("$peer", peer).ExecuteReader();
        return rows.Read() ? new SyncCursor(peer, (PacketScope)rows.GetInt64(0), (byte[])rows[1], rows.GetInt64(2), rows.GetInt64(3)) : null;
    }

    /// <summary>Every retraction recorded of <paramref name="target"/> (by any author).</summary>
    public IReadOnlyList<RetractionRow> RetractionsOf(byte[] target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var found = new List<RetractionRow>();
        using var rows = Commands.Get("SELECT author, retraction, at FROM retractions WHERE target = $target ORDER BY author").With("$target", target).ExecuteReader();
        while (rows.Read())
        {
            found.Add(new RetractionRow(target, rows.GetString(0), (byte[])rows[1], rows.GetInt64(2)));
        }

        return found;
    }

    /// <summary>How many retracted ids are recorded.</summary>
    public long RetractionCount() => (long)Commands.Get("SELECT count(*) FROM retractions").ExecuteScalar()!;

    /// <summary>The packets in quarantine, oldest first, after the id <paramref name="afterId"/> in (received_at, id) order when given; at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<QuarantinedPacket> Quarantined(int limit, long afterReceivedAt = long.MinValue, byte[]? afterId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var found = new List<QuarantinedPacket>();
        using var rows = Commands.Get("""
            SELECT id, envelope, from_peer, received_at, reason FROM quarantine
            WHERE received_at > $at OR (received_at = $at AND id > $id) ORDER BY received_at, id LIMIT $limit
            """).With("$at", afterReceivedAt).With("$id", afterId ?? []).With("$limit", limit).ExecuteReader();
        while (rows.Read())
        {
            found.Add(ReadQuarantined(rows));
        }

        return found;
    }

    /// <summary>The quarantined packet <paramref name="id"/>, or null.</summary>
    public QuarantinedPacket? QuarantinedById(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var rows = Commands.Get("SELECT id, envelope, from_peer, received_at, reason FROM quarantine WHERE id = $id").With("$id", id).ExecuteReader();
        return rows.Read() ? ReadQuarantined(rows) : null;
    }

    /// <summary>How many packets, and envelope bytes, <paramref name="peer"/> has waiting in quarantine.</summary>
    public (long Count, long Bytes) QuarantineUsage(string peer)
    {
        using var rows = Commands.Get("SELECT count(*), coalesce(sum(length(envelope)), 0) FROM quarantine WHERE from_peer = $peer")
            .With("$peer", peer).ExecuteReader();
        rows.Read();
        return (rows.GetInt64(0), rows.GetInt64(1));
    }

    /// <summary>Whether <paramref name="id"/> was rejected out of quarantine (and is not taken again).</summary>
    public bool IsRejected(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Commands.Get("SELECT 1 FROM rejected_packets WHERE id = $id").With("$id", id).ExecuteScalar() is not null;
    }

    /// <summary>
    /// How guardians judged <paramref name="peer"/>'s quarantined packets: promotions and rejections, leaving out those
    /// made by <paramref name="notBy"/> (governance's own, which are not a guardian's word).
    /// </summary>
    public (long Promoted, long Rejected) VerdictsOn(string peer, string notBy)
    {
        using var rows = Commands.Get("""
            SELECT (SELECT count(*) FROM promoted_packets WHERE from_peer = $peer AND promoted_by <> $not),
                   (SELECT count(*) FROM rejected_packets WHERE from_peer = $peer AND rejected_by <> $not)
            """).With("$peer", peer).With("$not", notBy).ExecuteReader();
        rows.Read();
        return (rows.GetInt64(0), rows.GetInt64(1));
    }

    /// <summary>
    /// Quarantined packets no decision of <paramref name="decisionType"/> is about yet (subject: the id in lower-case hex),
    /// oldest first, at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<QuarantinedPacket> QuarantinedUndecided(string decisionType, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var found = new List<QuarantinedPacket>();
        using var rows = Commands.Get("""
            SELECT q.id, q.envelope, q.from_peer, q.received_at, q.reason FROM quarantine q
            WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.type = $type AND d.subject = lower(hex(q.id)))
            ORDER BY q.received_at, q.id LIMIT $limit
            """).With("$type", decisionType).With("$limit", limit).ExecuteReader();
        while (rows.Read())
        {
            found.Add(ReadQuarantined(rows));
        }

        return found;
    }

    /// <summary>
    /// Quarantined packets whose decision of <paramref name="decisionType"/> is no longer pending (approved, automatically
    /// or by a guardian, or rejected) and not yet carried out, oldest decision first, at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<(QuarantinedPacket Packet, string Decision, string Status, string DecidedBy)> QuarantinedDecided(string decisionType, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var found = new List<(QuarantinedPacket, string, string, string)>();
        using var rows = Commands.Get("""
            SELECT q.id, q.envelope, q.from_peer, q.received_at, q.reason, d.id, d.status, coalesce(d.decided_by, '')
            FROM quarantine q JOIN decisions d ON d.type = $type AND d.subject = lower(hex(q.id))
            WHERE d.status <> $pending
            ORDER BY d.decided_at, d.id LIMIT $limit
            """).With("$type", decisionType).With("$pending", Decisions.DecisionStatuses.Pending).With("$limit", limit).ExecuteReader();
        while (rows.Read())
        {
            found.Add((ReadQuarantined(rows), rows.GetString(5), rows.GetString(6), rows.GetString(7)));
        }

        return found;
    }

    /// <summary>
    /// Pending decisions of <paramref name="decisionType"/> about a packet (subject: its id in hex) that is no longer in
    /// quarantine — it left another way: stored from a core peer, or retracted by its author — oldest first, at most
    /// <paramref name="limit"/>; each with whether the packet is stored.
    /// </summary>
    public IReadOnlyList<(string Decision, byte[] Packet, bool Stored)> PendingAboutLeftQuarantine(string decisionType, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var found = new List<(string, byte[], bool)>();
        using var rows = Commands.Get("""
            SELECT d.id, unhex(d.subject), EXISTS (SELECT 1 FROM packets p WHERE p.id = unhex(d.subject))
            FROM decisions d
            WHERE d.type = $type AND d.subject IS NOT NULL AND d.status = $pending AND length(d.subject) = 64 AND unhex(d.subject) IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.id = unhex(d.subject))
            ORDER BY d.created_at, d.id LIMIT $limit
            """).With("$type", decisionType).With("$pending", Decisions.DecisionStatuses.Pending).With("$limit", limit).ExecuteReader();
        while (rows.Read())
        {
            found.Add((rows.GetString(0), (byte[])rows[1], rows.GetInt64(2) != 0));
        }

        return found;
    }

    /// <summary>The public key recorded for <paramref name="nodeId"/>, or null.</summary>
    public byte[]? AuthorKey(string nodeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        return Commands.Get("SELECT public_key FROM author_keys WHERE node_id = $node").With("$node", nodeId).Scalar() as byte[];
    }

    /// <summary>Packets stored before scopes were recorded (schema 7), at most <paramref name="limit"/>: the start-up indexing's batch.</summary>
    public IReadOnlyList<(long Seq, byte[] Envelope)> WithoutScope(int limit)
    {
        var found = new List<(long, byte[])>();
        using var rows = Commands.Get("SELECT seq, envelope FROM packets WHERE scope IS NULL ORDER BY seq LIMIT $limit").With("$limit", limit).ExecuteReader();
        while (rows.Read())
        {
            found.Add((rows.GetInt64(0), (byte[])rows[1]));
        }

        return found;
    }

    /// <summary>
    /// The retraction packets a restore carried from the store it replaced, and their authors' public keys: to be put
    /// through the intake at start, then cleared (<see cref="SyncTable.ClearCarriedRetractions"/>). Empty when none.
    /// </summary>
    public (IReadOnlyList<byte[]> Envelopes, IReadOnlyList<byte[]> Keys) CarriedRetractions()
    {
        var envelopes = StoreInfo.Read(Commands.Connection, Backup.CarriedRetractions.EnvelopesKey) is { } bytes
            ? Backup.CarriedRetractions.Decode(bytes) : [];
        var keys = StoreInfo.Read(Commands.Connection, Backup.CarriedRetractions.KeysKey) is { } raw
            ? raw.Chunk(32).Where(k => k.Length == 32).ToList() : [];
        return (envelopes, keys);
    }

    /// <summary>Whether automatic sync is switched on; null when never set (the configured default applies).</summary>
    public bool? AutoSync() => StoreInfo.Read(Commands.Connection, StoreInfo.AutoSync) is [var flag] ? flag != 0 : null;

    private protected static QuarantinedPacket ReadQuarantined(SqliteDataReader row) =>
        new((byte[])row[0], (byte[])row[1], row.GetString(2), row.GetInt64(3), row.TextOrNull(4));
}
