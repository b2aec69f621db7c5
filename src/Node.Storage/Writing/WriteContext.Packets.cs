using Microsoft.Data.Sqlite;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;
using Node.Storage.Internal;
using Node.Storage.Packets;

namespace Node.Storage.Writing;

// Storing packets, and holding those whose dependencies have not arrived yet.
public sealed partial class WriteContext
{
    private SqliteCommand _insertPacket = null!;
    private SqliteCommand _findPacket = null!;
    private SqliteCommand _insertDependency = null!;

    /// <summary>The newest receive sequence inserted through this context (read from the store when it was made).</summary>
    internal long LastInsertedSeq { get; private set; }

    /// <summary>
    /// Stores a packet and its dependency edges, and appends <see cref="EventKinds.PacketAccepted"/>.
    /// A packet already stored is left as it is.
    /// </summary>
    public PacketInsert InsertPacket(PacketRecord packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.Id.Length != 32)
        {
            throw new ArgumentException($"A packet id is 32 bytes; was {packet.Id.Length}.", nameof(packet));
        }

        Set(_insertPacket, packet.Id, packet.Envelope, packet.Topic, packet.Key, packet.Author, packet.Kind, packet.Hlc, Now, (int)packet.Scope);
        // Not RETURNING: through Microsoft.Data.Sqlite it costs six times the insert itself.
        if (_insertPacket.ExecuteNonQuery() == 0)
        {
            return new PacketInsert(false, FindPacket(packet.Id)!.Value);
        }

        var seq = SQLitePCL.raw.sqlite3_last_insert_rowid(_connection.Handle);
        LastInsertedSeq = Math.Max(LastInsertedSeq, seq);

        foreach (var dependency in packet.Dependencies ?? [])
        {
            Set(_insertDependency, packet.Id, dependency);
            _insertDependency.ExecuteNonQuery();
        }

        AppendEvent(EventKinds.PacketAccepted, packet.Id);
        return new PacketInsert(true, seq);
    }

    /// <summary>
    /// Marks the stored packet <paramref name="id"/> corrupt — kept, but never served or synced
    /// again — and appends <see cref="EventKinds.PacketCorrupt"/>. A packet already marked, or not
    /// stored, is left as it is.
    /// </summary>
    /// <param name="id">The packet id.</param>
    /// <param name="reason">What did not verify.</param>
    /// <param name="foundBy">What found it: <c>scrub</c>, <c>read</c> or <c>restore</c>.</param>
    /// <returns>Whether it was marked now.</returns>
    public bool MarkCorrupt(byte[] id, string reason, string foundBy)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(foundBy);
        if (Command("UPDATE packets SET corrupt = $reason WHERE id = $id AND corrupt IS NULL RETURNING seq")
                .With("$reason", reason).With("$id", id).Scalar() is not long seq)
        {
            return false;
        }

        AppendEvent(new PacketCorruptEvent(Convert.ToHexStringLower(id), seq, reason, foundBy));
        return true;
    }

    /// <summary>
    /// Replaces the bytes of a stored packet marked corrupt with <paramref name="packet"/> — the
    /// same id, received again and verified — clears the mark, and appends
    /// <see cref="EventKinds.PacketRepaired"/>. Its receive sequence stays.
    /// </summary>
    /// <returns>Whether a corrupt packet was repaired (false when it is not stored or not marked).</returns>
    public bool RepairPacket(PacketRecord packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (Command("""
                UPDATE packets SET envelope = $envelope, topic = $topic, key = $key, author = $author, kind = $kind, hlc = $hlc, scope = $scope, corrupt = NULL
                WHERE id = $id AND corrupt IS NOT NULL RETURNING seq
                """).With("$envelope", packet.Envelope).With("$topic", packet.Topic).With("$key", packet.Key).With("$author", packet.Author)
                .With("$kind", packet.Kind).With("$hlc", packet.Hlc).With("$scope", (int)packet.Scope).With("$id", packet.Id).Scalar() is not long seq)
        {
            return false;
        }

        AppendEvent(new PacketRepairedEvent(Convert.ToHexStringLower(packet.Id), seq));
        return true;
    }

    /// <summary>The local receive sequence of the stored (not held) packet <paramref name="id"/>, or null.</summary>
    public long? FindPacket(byte[] id)
    {
        _findPacket.Parameters[0].Value = id;
        return _findPacket.ExecuteScalar() as long?;
    }

    /// <summary>Whether a packet with <paramref name="id"/> is stored (not held).</summary>
    public bool HasPacket(byte[] id) => FindPacket(id) is not null;

    /// <summary>How many packets are held for missing dependencies, and their envelopes' bytes in all.</summary>
    public (long Packets, long Bytes) HeldUsage()
    {
        using var held = Command("SELECT count(*), coalesce(sum(length(envelope)), 0) FROM held_packets").ExecuteReader();
        held.Read();
        return (held.GetInt64(0), held.GetInt64(1));
    }

    /// <summary>
    /// Holds a verified packet whose dependencies are not all stored yet; it is released by
    /// <see cref="ReleaseWaitingFor"/> once the last of <paramref name="missing"/> arrives.
    /// </summary>
    public void HoldPacket(byte[] id, byte[] envelope, string? fromPeer, IReadOnlyCollection<byte[]> missing)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(missing);
        Command("INSERT INTO held_packets (id, envelope, from_peer, received_at) VALUES ($id, $envelope, $from, $at) ON CONFLICT (id) DO NOTHING")
            .With("$id", id).With("$envelope", envelope).With("$from", fromPeer).With("$at", Now)
            .ExecuteNonQuery();
        foreach (var dependency in missing)
        {
            Command("INSERT OR IGNORE INTO held_missing (missing, id) VALUES ($missing, $id)").With("$missing", dependency).With("$id", id)
                .ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Records that <paramref name="arrived"/> is stored, and takes out of the hold every packet
    /// that waited for nothing else.
    /// </summary>
    /// <returns>The released packets' ids and envelopes, to store now.</returns>
    public IReadOnlyList<(byte[] Id, byte[] Envelope)> ReleaseWaitingFor(byte[] arrived)
    {
        ArgumentNullException.ThrowIfNull(arrived);
        var waiting = new List<byte[]>();
        using (var rows = Command("DELETE FROM held_missing WHERE missing = $arrived RETURNING id").With("$arrived", arrived).ExecuteReader())
        {
            while (rows.Read())
            {
                waiting.Add((byte[])rows[0]);
            }
        }

        var released = new List<(byte[], byte[])>();
        foreach (var id in waiting)
        {
            if (Command("SELECT 1 FROM held_missing WHERE id = $id LIMIT 1").With("$id", id).ExecuteScalar() is not null)
            {
                continue;
            }

            if (Command("DELETE FROM held_packets WHERE id = $id RETURNING envelope").With("$id", id).ExecuteScalar() is byte[] envelope)
            {
                released.Add((id, envelope));
            }
        }

        return released;
    }

    private void PreparePackets()
    {
        _insertPacket = Prepare(
            "INSERT INTO packets (id, envelope, topic, key, author, kind, hlc, received_at, scope) VALUES ($id, $envelope, $topic, $key, $author, $kind, $hlc, $at, $scope) " +
            "ON CONFLICT (id) DO NOTHING",
            ("$id", SqliteType.Blob), ("$envelope", SqliteType.Blob), ("$topic", SqliteType.Text), ("$key", SqliteType.Text),
            ("$author", SqliteType.Text), ("$kind", SqliteType.Text), ("$hlc", SqliteType.Integer), ("$at", SqliteType.Integer),
            ("$scope", SqliteType.Integer));
        _findPacket = Prepare("SELECT seq FROM packets WHERE id = $id", ("$id", SqliteType.Blob));
        using (var last = _connection.CreateCommand())
        {
            last.CommandText = "SELECT coalesce(max(seq), 0) FROM packets";
            LastInsertedSeq = (long)last.ExecuteScalar()!;
        }
        _insertDependency = Prepare("INSERT OR IGNORE INTO packet_dependencies (packet_id, depends_on) VALUES ($packet, $dependency)",
            ("$packet", SqliteType.Blob), ("$dependency", SqliteType.Blob));
    }

    private void DisposePackets()
    {
        _insertPacket.Dispose();
        _findPacket.Dispose();
        _insertDependency.Dispose();
    }
}
