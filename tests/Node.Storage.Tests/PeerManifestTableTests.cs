using Node.Storage.Peers;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

/// <summary>The typed tables of peers' manifests and rotations: what each write keeps, and that nothing is replaced by something older.</summary>
public sealed class PeerManifestTableTests : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly NodeStore _store;

    public PeerManifestTableTests() => _store = TestStore.Open(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    private Task<T> Write<T>(Func<Writing.WriteContext, T> work) => _store.Writer.WriteAsync(work, TestContext.Current.CancellationToken);

    private static PeerManifestRow Row(long issuedAt, byte marker) => new("A", [marker], issuedAt, Enumerable.Repeat(marker, 32).ToArray(), 1_000 + issuedAt);

    [Fact]
    public async Task A_manifest_is_stored_only_over_an_older_one()
    {
        Assert.True(await Write(c => c.PeerManifests.Store(Row(10, 1))));
        Assert.False(await Write(c => c.PeerManifests.Store(Row(10, 2))));
        Assert.False(await Write(c => c.PeerManifests.Store(Row(9, 3))));
        Assert.True(await Write(c => c.PeerManifests.Store(Row(11, 4))));

        using var reader = _store.OpenReader();
        var stored = Assert.Single(reader.PeerManifests.Manifests());
        Assert.Equivalent(Row(11, 4), stored, strict: true);
        Assert.Null(reader.PeerManifests.Manifest("B"));
    }

    [Fact]
    public async Task One_rotation_stands_per_old_id_and_each_competitor_is_recorded_once()
    {
        Assert.True(await Write(c => c.PeerManifests.InsertRotation(new PeerRotationRow("A", "B", [1], 5))));
        Assert.False(await Write(c => c.PeerManifests.InsertRotation(new PeerRotationRow("A", "C", [2], 6))));
        Assert.True(await Write(c => c.PeerManifests.InsertRotationConflict(new PeerRotationRow("A", "C", [2], 6))));
        Assert.False(await Write(c => c.PeerManifests.InsertRotationConflict(new PeerRotationRow("A", "C", [3], 7))));

        using var reader = _store.OpenReader();
        Assert.Equivalent(new PeerRotationRow("A", "B", [1], 5), reader.PeerManifests.Rotation("A"), strict: true);
        Assert.Equivalent(new[] { new PeerRotationRow("A", "C", [2], 6) }, reader.PeerManifests.RotationConflicts(), strict: true);
        Assert.Null(reader.PeerManifests.Rotation("B"));
    }

    [Fact]
    public async Task A_successor_takes_the_old_peers_name_addresses_and_static_addresses_and_the_old_one_is_retired()
    {
        await Write(c =>
        {
            c.Peers.InsertDiscovered("A", "kitchen", ["10.0.0.2:8102"], 100);
            c.Peers.UpsertStatic("10.0.0.9:8102", "A", null, 100);
            c.Peers.SetTier("A", "sandbox");
            c.Peers.SetPublicKey("A", [7]);
            c.Peers.SetPublicKey("A", [8]);
            c.Peers.RegisterSuccessor("A", "B", "sandbox", 200);
            c.Peers.Retire("A", "B");
            return 0;
        });

        using var reader = _store.OpenReader();
        var peers = reader.Peers.List();
        Assert.Equal(["A", "B"], peers.Select(p => p.NodeId));
        Assert.Equal(("kitchen", "unknown", "mdns"), (peers[0].Name, peers[0].Tier, peers[0].Source));
        Assert.Equal(["10.0.0.2:8102"], peers[0].Addresses);
        Assert.Equal(("kitchen", "sandbox", "mdns", 200L), (peers[1].Name, peers[1].Tier, peers[1].Source, peers[1].FirstSeen));
        Assert.Equal(["10.0.0.2:8102", "10.0.0.9:8102"], peers[1].Addresses);
        Assert.Equal("B", reader.Peers.RetiredTo("A"));
        Assert.Equal([7], Assert.Single(reader.Peers.PublicKeys()).PublicKey);
    }

    [Fact]
    public async Task A_known_successor_keeps_its_row_and_gets_the_tier()
    {
        await Write(c =>
        {
            c.Peers.InsertDiscovered("A", "kitchen", ["10.0.0.2:8102"], 100);
            c.Peers.InsertDiscovered("B", "new kitchen", ["10.0.0.3:8102"], 150);
            c.Peers.RegisterSuccessor("A", "B", "core", 200);
            return 0;
        });

        using var reader = _store.OpenReader();
        var b = reader.Peers.List().Single(p => p.NodeId == "B");
        Assert.Equal(("new kitchen", "core", 150L), (b.Name, b.Tier, b.FirstSeen));
        Assert.Equal(["10.0.0.3:8102"], b.Addresses);
    }

    [Fact]
    public async Task Forgetting_a_peer_forgets_its_manifest_but_not_its_rotation()
    {
        var removed = await Write(c =>
        {
            c.Peers.InsertDiscovered("A", "kitchen", ["10.0.0.2:8102"], 100);
            c.PeerManifests.Store(Row(10, 1));
            c.PeerManifests.InsertRotation(new PeerRotationRow("A", "B", [1], 5));
            return c.Peers.Delete("A");
        });

        Assert.Equal(1, removed);
        using var reader = _store.OpenReader();
        Assert.Empty(reader.PeerManifests.Manifests());
        Assert.NotNull(reader.PeerManifests.Rotation("A"));
    }
}
