using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

/// <summary>
/// The store's pooled read connections: kept after a busy moment, closed when released. Alone: other
/// tests' backups and restores clear every pool of the process (SqliteConnection.ClearAllPools), which
/// would close these pooled readers between the test's steps.
/// </summary>
[Collection(nameof(ReaderPoolTests))]
public sealed class ReaderPoolTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovereign-readers-test-").FullName;
    private readonly NodeStore _store;

    public ReaderPoolTests()
    {
        _store = TestStore.Open(_dir);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Readers_idle_in_the_pool_are_closed_when_released()
    {
        var writerOnly = OpenConnections();
        var readers = Enumerable.Range(0, 3).Select(_ => _store.OpenReader()).ToList();
        readers.ForEach(r => r.Store.SchemaVersion());
        readers.ForEach(r => r.Dispose());
        var pooled = OpenConnections();

        _store.ReleaseIdleReaders();

        Assert.True(pooled > writerOnly, $"Three pooled readers should be open: {pooled} connections, {writerOnly} for the writer alone.");
        Assert.Equal(writerOnly, OpenConnections());
    }

    [Fact]
    public void A_reader_in_use_when_released_is_closed_once_disposed()
    {
        var writerOnly = OpenConnections();
        var reader = _store.OpenReader();
        reader.Store.SchemaVersion();

        _store.ReleaseIdleReaders();
        reader.Dispose();

        Assert.Equal(writerOnly, OpenConnections());
        using var again = _store.OpenReader(); // the pool still serves readers
        again.Store.SchemaVersion();
    }

    // Connections open on the store: each opens the WAL for itself. (Not the database file: SQLite
    // keeps a closed connection's descriptor of it for the next to reuse, as closing it would drop
    // the POSIX locks the other connections hold on the file.)
    private int OpenConnections() =>
        Directory.GetFiles("/proc/self/fd").Count(fd => new FileInfo(fd).LinkTarget == _store.Path + "-wal");
}

/// <summary>Runs <see cref="ReaderPoolTests"/> with no other test class beside it.</summary>
[CollectionDefinition(nameof(ReaderPoolTests), DisableParallelization = true)]
public sealed class ReaderPoolTestsAlone;
