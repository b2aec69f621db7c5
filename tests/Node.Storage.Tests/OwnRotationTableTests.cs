using Node.Storage.Identity;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

/// <summary>The node's own key rotations: one per old id and one per new id, applied once, an unapplied one removable, all kept across a reopen.</summary>
public sealed class OwnRotationTableTests : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private NodeStore _store;

    public OwnRotationTableTests() => _store = TestStore.Open(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    private Task<T> Write<T>(Func<Writing.WriteContext, T> work) => _store.Writer.WriteAsync(work, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_rotation_is_recorded_once_per_old_id_and_per_new_id_and_marked_applied_once()
    {
        Assert.True(await Write(c => c.OwnRotations.Insert(new OwnRotationRow("A", "B", [1], 10, null))));
        Assert.False(await Write(c => c.OwnRotations.Insert(new OwnRotationRow("A", "C", [2], 11, null))));
        Assert.False(await Write(c => c.OwnRotations.Insert(new OwnRotationRow("X", "B", [3], 12, null))));

        Assert.True(await Write(c => c.OwnRotations.MarkApplied("B", 20)));
        Assert.False(await Write(c => c.OwnRotations.MarkApplied("B", 30)));
        Assert.False(await Write(c => c.OwnRotations.MarkApplied("C", 30)));
        Assert.False(await Write(c => c.OwnRotations.DeleteUnapplied("A")), "an applied rotation is kept for ever");

        using var reader = _store.OpenReader();
        Assert.Equivalent(new OwnRotationRow("A", "B", [1], 10, 20), reader.OwnRotations.From("A"), strict: true);
        Assert.Null(reader.OwnRotations.From("B"));
    }

    [Fact]
    public async Task Rotations_read_oldest_first_and_survive_a_reopen_and_an_unapplied_one_can_be_removed()
    {
        await Write(c => c.OwnRotations.Insert(new OwnRotationRow("B", "C", [2], 20, 25)));
        await Write(c => c.OwnRotations.Insert(new OwnRotationRow("A", "B", [1], 10, 15)));
        await Write(c => c.OwnRotations.Insert(new OwnRotationRow("C", "D", [3], 30, null)));

        await _store.DisposeAsync();
        _store = TestStore.Open(_directory.Path);
        using (var reader = _store.OpenReader())
        {
            Assert.Equal(["A", "B", "C"], reader.OwnRotations.All().Select(r => r.OldId));
            Assert.Null(reader.OwnRotations.From("C")!.AppliedAt);
        }

        Assert.True(await Write(c => c.OwnRotations.DeleteUnapplied("C")));
        using var after = _store.OpenReader();
        Assert.Equal(["A", "B"], after.OwnRotations.All().Select(r => r.OldId));
    }
}
