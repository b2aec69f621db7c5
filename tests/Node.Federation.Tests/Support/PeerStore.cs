using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Node.Federation.Peers;
using Node.Storage;

namespace Node.Federation.Tests.Support;

/// <summary>A real store in a temporary directory on a fake clock, its peer registry, and its event log as a test reads it.</summary>
public sealed class PeerStore : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();

    public PeerStore()
    {
        Store = NodeStore.Open(_dir.Path, new StoreOptions(), Time, NullLogger.Instance);
        Peers = new PeerRegistry(Store);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public NodeStore Store { get; }

    public PeerRegistry Peers { get; }

    public string Directory => _dir.Path;

    /// <summary>The events appended so far, oldest first: kind and payload.</summary>
    public IReadOnlyList<(string Kind, JsonElement Payload)> Events()
    {
        using var reader = Store.OpenReader();
        return [.. reader.Events.After(0, int.MaxValue).Select(e => (e.Kind, JsonDocument.Parse(e.Payload).RootElement.Clone()))];
    }

    /// <summary>The events of peers (<c>peer.*</c>), oldest first.</summary>
    public IReadOnlyList<(string Kind, JsonElement Payload)> PeerEvents() => [.. Events().Where(e => e.Kind.StartsWith("peer.", StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
