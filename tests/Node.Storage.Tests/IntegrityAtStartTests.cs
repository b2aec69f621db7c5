using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

public sealed class IntegrityAtStartTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.Combine(NodeStore.FileName);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_damaged_database_is_refused_with_how_to_restore_and_left_exactly_as_it_was()
    {
        await FillAsync(packets: 400);
        var page = TablePages.MiddleLeaf(DatabasePath, "packets", out var pageSize);
        Assert.True(page > 10, $"page {page} is not in the middle of the packets table");
        TablePages.Overwrite(DatabasePath, page, pageSize, new Random(5));
        var before = FileSnapshot.Sha256(DatabasePath);

        var refused = Assert.Throws<StoreOpenException>(() => TestStore.Open(_directory.Path));

        Assert.Equal(StoreProblem.Corrupt, refused.Problem);
        Assert.StartsWith($"{DatabasePath} is damaged (quick_check: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Restore the newest backup with the node stopped: sovereign-node restore --from BACKUP", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, FileSnapshot.Sha256(DatabasePath));
        Assert.Equal([NodeStore.FileName, NodeStore.LockFileName, NodeStore.LockFileName + ".pid"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Refused again on the next start: nothing was "repaired" in between.
        Assert.Equal(StoreProblem.Corrupt, Assert.Throws<StoreOpenException>(() => TestStore.Open(_directory.Path)).Problem);
        Assert.Equal(before, FileSnapshot.Sha256(DatabasePath));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_and_left_as_it_was()
    {
        File.WriteAllBytes(DatabasePath, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))]);
        var before = FileSnapshot.Sha256(DatabasePath);

        var refused = Assert.Throws<StoreOpenException>(() => TestStore.Open(_directory.Path));

        Assert.Equal(StoreProblem.Corrupt, refused.Problem);
        Assert.Contains("sovereign-node restore --from", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, FileSnapshot.Sha256(DatabasePath));
    }

    [Fact]
    public async Task A_second_open_of_an_open_store_is_refused_as_locked()
    {
        await using (var first = TestStore.Open(_directory.Path))
        {
            var refused = Assert.Throws<StoreOpenException>(() => TestStore.Open(_directory.Path));

            Assert.Equal(StoreProblem.Locked, refused.Problem);
            Assert.Contains($"The store in {_directory.Path} is in use by another process", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Stop that sovereign-node first", refused.Message, StringComparison.Ordinal);

            // The refused open did not disturb the open store.
            await TestPackets.InsertAsync(first, TestPackets.Create(new Random(6)));
        }

        await using var again = TestStore.Open(_directory.Path);
        Assert.True(again.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task A_refused_open_names_the_process_that_holds_the_store()
    {
        await using var first = TestStore.Open(_directory.Path);

        var refused = Assert.Throws<StoreOpenException>(() => TestStore.Open(_directory.Path));

        Assert.Contains($"(pid {Environment.ProcessId})", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_is_not_reported_as_locked()
    {
        var missing = _directory.Combine("missing");

        var refused = Record.Exception(() => TestStore.Open(missing));

        Assert.False(refused is StoreOpenException { Problem: StoreProblem.Locked }, refused?.Message);
    }

    private async Task FillAsync(int packets)
    {
        var random = new Random(4);
        await using var store = TestStore.Open(_directory.Path);
        await Task.WhenAll(Enumerable.Range(0, packets).Select(_ => TestPackets.InsertAsync(store, TestPackets.Create(random))));
    }
}
