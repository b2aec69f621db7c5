using Microsoft.Data.Sqlite;
using Node.Storage.Events;
using Node.Storage.Packets;

namespace Node.Storage.Writing;

/// <summary>
/// What a write may do, inside the writer's transaction. Valid only during the call it is
/// handed to; everything it does commits together, or not at all.
/// </summary>
/// <remarks>Not thread-safe: owned by the writer thread.</remarks>
public sealed class WriteContext : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly SqliteCommand _appendEvent;
    private readonly SqliteCommand _insertPacket;
    private readonly SqliteCommand _findPacket;
    private readonly SqliteCommand _insertDependency;
    private byte[] _headHash = [];

    internal WriteContext(SqliteConnection connection, TimeProvider time, long headSeq, byte[] headHash)
    {
        _connection = connection;
        _time = time;
        HeadSeq = headSeq;
        HeadHash = headHash;
        _appendEvent = Prepare("INSERT INTO events (seq, time, kind, payload, prev_hash, hash) VALUES ($seq, $time, $kind, $payload, $prev, $hash)",
            ("$seq", SqliteType.Integer), ("$time", SqliteType.Integer), ("$kind", SqliteType.Text), ("$payload", SqliteType.Blob),
            ("$prev", SqliteType.Blob), ("$hash", SqliteType.Blob));
        _insertPacket = Prepare(
            "INSERT INTO packets (id, envelope, topic, key, author, kind, hlc, received_at) VALUES ($id, $envelope, $topic, $key, $author, $kind, $hlc, $at) " +
            "ON CONFLICT (id) DO NOTHING",
            ("$id", SqliteType.Blob), ("$envelope", SqliteType.Blob), ("$topic", SqliteType.Text), ("$key", SqliteType.Text),
            ("$author", SqliteType.Text), ("$kind", SqliteType.Text), ("$hlc", SqliteType.Integer), ("$at", SqliteType.Integer));
        _findPacket = Prepare("SELECT seq FROM packets WHERE id = $id", ("$id", SqliteType.Blob));
        _insertDependency = Prepare("INSERT OR IGNORE INTO packet_dependencies (packet_id, depends_on) VALUES ($packet, $dependency)",
            ("$packet", SqliteType.Blob), ("$dependency", SqliteType.Blob));
    }

    /// <summary>The last event's sequence (0 when the log is empty).</summary>
    public long HeadSeq { get; private set; }

    /// <summary>The last event's hash (a copy).</summary>
    public byte[] HeadHash
    {
        get => _headHash.ToArray();
        private set => _headHash = value;
    }

    /// <summary>Now, in Unix milliseconds, from the store's clock.</summary>
    public long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Appends an event; it commits with the rest of the write.</summary>
    public EventEntry AppendEvent(string kind, ReadOnlySpan<byte> payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var seq = HeadSeq + 1;
        var time = Now;
        var hash = EventChain.Hash(_headHash, seq, time, kind, payload);
        var payloadBytes = payload.ToArray();
        Set(_appendEvent, seq, time, kind, payloadBytes, _headHash, hash);
        _appendEvent.ExecuteNonQuery();
        // The caller gets copies: the writer's head must not change if they do.
        var entry = new EventEntry(seq, time, kind, payloadBytes, _headHash, hash.ToArray());
        HeadSeq = seq;
        HeadHash = hash;
        return entry;
    }

    /// <summary>Appends an event with a UTF-8 text payload (compact JSON by convention).</summary>
    public EventEntry AppendEvent(string kind, string payload) => AppendEvent(kind, System.Text.Encoding.UTF8.GetBytes(payload));

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

        Set(_insertPacket, packet.Id, packet.Envelope, packet.Topic, packet.Key, packet.Author, packet.Kind, packet.Hlc, Now);
        // Not RETURNING: through Microsoft.Data.Sqlite it costs six times the insert itself.
        if (_insertPacket.ExecuteNonQuery() == 0)
        {
            return new PacketInsert(false, FindPacket(packet.Id)!.Value);
        }

        var seq = SQLitePCL.raw.sqlite3_last_insert_rowid(_connection.Handle);

        foreach (var dependency in packet.Dependencies ?? [])
        {
            Set(_insertDependency, packet.Id, dependency);
            _insertDependency.ExecuteNonQuery();
        }

        AppendEvent(EventKinds.PacketAccepted, packet.Id);
        return new PacketInsert(true, seq);
    }

    /// <summary>The local receive sequence of the stored (not held) packet <paramref name="id"/>, or null.</summary>
    public long? FindPacket(byte[] id)
    {
        _findPacket.Parameters[0].Value = id;
        return _findPacket.ExecuteScalar() as long?;
    }

    /// <summary>Whether a packet with <paramref name="id"/> is stored (not held).</summary>
    public bool HasPacket(byte[] id) => FindPacket(id) is not null;

    /// <summary>
    /// Holds a verified packet whose dependencies are not all stored yet; it is released by
    /// <see cref="ReleaseWaitingFor"/> once the last of <paramref name="missing"/> arrives.
    /// </summary>
    public void HoldPacket(byte[] id, byte[] envelope, string? fromPeer, IReadOnlyCollection<byte[]> missing)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(missing);
        var hold = Command("INSERT INTO held_packets (id, envelope, from_peer, received_at) VALUES ($id, $envelope, $from, $at) ON CONFLICT (id) DO NOTHING");
        hold.Parameters.AddWithValue("$id", id);
        hold.Parameters.AddWithValue("$envelope", envelope);
        hold.Parameters.AddWithValue("$from", (object?)fromPeer ?? DBNull.Value);
        hold.Parameters.AddWithValue("$at", Now);
        hold.ExecuteNonQuery();
        foreach (var dependency in missing)
        {
            var wait = Command("INSERT OR IGNORE INTO held_missing (missing, id) VALUES ($missing, $id)");
            wait.Parameters.AddWithValue("$missing", dependency);
            wait.Parameters.AddWithValue("$id", id);
            wait.ExecuteNonQuery();
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
        var clear = Command("DELETE FROM held_missing WHERE missing = $arrived RETURNING id");
        clear.Parameters.AddWithValue("$arrived", arrived);
        using (var rows = clear.ExecuteReader())
        {
            while (rows.Read())
            {
                waiting.Add((byte[])rows[0]);
            }
        }

        var released = new List<(byte[], byte[])>();
        foreach (var id in waiting)
        {
            var still = Command("SELECT 1 FROM held_missing WHERE id = $id LIMIT 1");
            still.Parameters.AddWithValue("$id", id);
            if (still.ExecuteScalar() is not null)
            {
                continue;
            }

            var take = Command("DELETE FROM held_packets WHERE id = $id RETURNING envelope");
            take.Parameters.AddWithValue("$id", id);
            if (take.ExecuteScalar() is byte[] envelope)
            {
                released.Add((id, envelope));
            }
        }

        return released;
    }

    /// <summary>
    /// A prepared command for <paramref name="sql"/>, made once and reused (for the tables that
    /// have no typed operation yet). Its parameters are cleared before it is returned.
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        return command;
    }

    internal byte[] HeadHashUnsafe => _headHash;

    internal void WriteClockCeiling(long ceiling)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, ceiling);
        var write = Command("INSERT INTO store_info (key, value) VALUES ('hlc_ceiling', $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        write.Parameters.AddWithValue("$value", bytes);
        write.ExecuteNonQuery();
    }

    internal void ResetHead(long seq, byte[] hash)
    {
        HeadSeq = seq;
        _headHash = hash;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _appendEvent.Dispose();
        _insertPacket.Dispose();
        _findPacket.Dispose();
        _insertDependency.Dispose();
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }
}
