using Microsoft.Data.Sqlite;
using Node.Storage.ApiKeys;
using Node.Storage.Decisions;
using Node.Storage.Events;
using Node.Storage.Identity;
using Node.Storage.Internal;
using Node.Storage.Memory;
using Node.Storage.Packets;
using Node.Storage.Peers;
using Node.Storage.Sync;

namespace Node.Storage;

/// <summary>
/// A read-only view of the store, table by table: every query the node makes outside a write.
/// Made by <see cref="NodeStore.OpenReader"/> on a pooled read-only connection (a consistent
/// snapshot only within one query; dispose it when done), and by a write
/// (<see cref="Writing.WriteContext.Read"/>) on the writer's connection, inside its transaction.
/// </summary>
/// <remarks>Not thread-safe: one reader per caller.</remarks>
public sealed class StoreReader : IDisposable
{
    private readonly CommandCache _commands;
    private readonly bool _ownsConnection;

    internal StoreReader(SqliteConnection connection, bool ownsConnection)
    {
        _commands = new CommandCache(connection);
        _ownsConnection = ownsConnection;
        Packets = new PacketQueries(_commands);
        Events = new EventQueries(_commands);
        Decisions = new DecisionQueries(_commands);
        Peers = new PeerQueries(_commands);
        PeerManifests = new PeerManifestQueries(_commands);
        ApiKeys = new ApiKeyQueries(_commands);
        Memory = new MemoryQueries(_commands);
        Store = new StoreQueries(_commands);
        OwnRotations = new OwnRotationQueries(_commands);
        Sync = new SyncQueries(_commands);
    }

    /// <summary>Stored packets.</summary>
    public PacketQueries Packets { get; }

    /// <summary>The event log.</summary>
    public EventQueries Events { get; }

    /// <summary>The decision matrix's decisions.</summary>
    public DecisionQueries Decisions { get; }

    /// <summary>The peers the node knows.</summary>
    public PeerQueries Peers { get; }

    /// <summary>Peers' manifests and key rotations.</summary>
    public PeerManifestQueries PeerManifests { get; }

    /// <summary>The API keys.</summary>
    public ApiKeyQueries ApiKeys { get; }

    /// <summary>The reasoning memory.</summary>
    public MemoryQueries Memory { get; }

    /// <summary>This node's own key rotations.</summary>
    public OwnRotationQueries OwnRotations { get; }

    /// <summary>Knowledge sync: views, cursors, retractions, quarantine, authors' keys.</summary>
    public SyncQueries Sync { get; }

    /// <summary>The store itself: schema, integrity, free space.</summary>
    public StoreQueries Store { get; }

    /// <summary>The connection, for the store's own tests.</summary>
    internal SqliteConnection Connection => _commands.Connection;

    /// <inheritdoc />
    public void Dispose()
    {
        _commands.Dispose();
        if (_ownsConnection)
        {
            _commands.Connection.Dispose();
        }
    }
}
