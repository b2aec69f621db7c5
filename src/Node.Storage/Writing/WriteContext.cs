using System.Text.Json;
using Microsoft.Data.Sqlite;
using Node.Storage.ApiKeys;
using Node.Storage.Decisions;
using Node.Storage.Events;
using Node.Storage.Identity;
using Node.Storage.Internal;
using Node.Storage.Memory;
using Node.Storage.Peers;
using Node.Storage.Sync;

namespace Node.Storage.Writing;

/// <summary>
/// What a write may do, inside the writer's transaction: append events, store packets, and change
/// the typed tables (<see cref="Peers"/>, <see cref="PeerManifests"/>, <see cref="Decisions"/>,
/// <see cref="ApiKeys"/>, <see cref="Memory"/>, <see cref="OwnRotations"/>). Reads made through it see the transaction's own changes. Valid only
/// during the call it is handed to; everything it does commits together, or not at all.
/// </summary>
/// <remarks>Not thread-safe: owned by the writer thread.</remarks>
public sealed partial class WriteContext : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly CommandCache _commands;
    private readonly SqliteCommand _appendEvent;
    private byte[] _headHash = [];

    internal WriteContext(SqliteConnection connection, TimeProvider time, long headSeq, byte[] headHash)
    {
        _connection = connection;
        _time = time;
        _commands = new CommandCache(connection);
        HeadSeq = headSeq;
        HeadHash = headHash;
        _appendEvent = Prepare("INSERT INTO events (seq, time, kind, payload, prev_hash, hash) VALUES ($seq, $time, $kind, $payload, $prev, $hash)",
            ("$seq", SqliteType.Integer), ("$time", SqliteType.Integer), ("$kind", SqliteType.Text), ("$payload", SqliteType.Blob),
            ("$prev", SqliteType.Blob), ("$hash", SqliteType.Blob));
        PreparePackets();
        Read = new StoreReader(connection, ownsConnection: false);
        Peers = new PeerTable(_commands);
        PeerManifests = new PeerManifestTable(_commands);
        Decisions = new DecisionTable(_commands, this);
        ApiKeys = new ApiKeyTable(_commands);
        Memory = new MemoryTable(_commands);
        OwnRotations = new OwnRotationTable(_commands);
        Sync = new SyncTable(_commands, this);
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

    /// <summary>Every read query, inside this transaction (it sees what this write changed so far).</summary>
    public StoreReader Read { get; }

    /// <summary>The peers the node knows, and the static addresses an operator added.</summary>
    public PeerTable Peers { get; }

    /// <summary>Peers' manifests and key rotations.</summary>
    public PeerManifestTable PeerManifests { get; }

    /// <summary>The decision matrix's decisions.</summary>
    public DecisionTable Decisions { get; }

    /// <summary>The API keys (hashes only).</summary>
    public ApiKeyTable ApiKeys { get; }

    /// <summary>The reasoning memory.</summary>
    public MemoryTable Memory { get; }

    /// <summary>This node's own key rotations.</summary>
    public OwnRotationTable OwnRotations { get; }

    /// <summary>Knowledge sync: cursors, retractions, quarantine, authors' keys.</summary>
    public SyncTable Sync { get; }

    /// <summary>Appends an event of <typeparamref name="T"/>'s kind; it commits with the rest of the write.</summary>
    public EventEntry AppendEvent<T>(T payload) where T : class, IEventPayload<T>
    {
        ArgumentNullException.ThrowIfNull(payload);
        return AppendEvent(T.Kind, JsonSerializer.SerializeToUtf8Bytes(payload, T.JsonType));
    }

    /// <summary>Appends an event with a raw payload (the node's own kinds go through <see cref="AppendEvent{T}"/>).</summary>
    internal EventEntry AppendEvent(string kind, ReadOnlySpan<byte> payload)
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

    /// <summary>
    /// A prepared command for <paramref name="sql"/>, made once and reused. Its parameters are
    /// cleared before it is returned.
    /// </summary>
    internal SqliteCommand Command(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return _commands.Get(sql);
    }

    internal byte[] HeadHashUnsafe => _headHash;

    internal void WriteClockCeiling(long ceiling) => StoreInfo.WriteInt64(_commands, StoreInfo.ClockCeiling, ceiling);

    internal void DeleteInfo(string key) => StoreInfo.Delete(_commands, key);

    internal void ResetHead(long seq, byte[] hash)
    {
        HeadSeq = seq;
        _headHash = hash;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Read.Dispose();
        _commands.Dispose();
        _appendEvent.Dispose();
        DisposePackets();
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
