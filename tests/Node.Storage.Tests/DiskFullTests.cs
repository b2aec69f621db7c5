using Node.Storage.Packets;
using Node.Storage.Tests.Support;
using Node.Storage.Writing;

namespace Node.Storage.Tests;

public sealed class DiskFullTests : IDisposable
{
    private const int InFlight = 8;

    private readonly TempDirectory _directory = new();
    private readonly Random _random = new(31);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_full_disk_fails_writes_clearly_loses_nothing_acknowledged_and_recovers_when_space_returns()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess,
            "Needs root: it mounts a 3 MB tmpfs to fill a real disk. Run the tests as root to include it.");
        using var disk = TmpfsMount.Mount(_directory.Combine("disk"), "3m");
        var acknowledged = new List<PacketRecord>();

        await using (var store = TestStore.Open(disk.Path))
        {
            var (full, failed) = await WriteUntilAFailureAsync(store, acknowledged);

            Assert.True(full.IsDiskFull, $"not reported as a full disk: {full}");
            Assert.Contains($"The disk holding {store.Path} is full", full.Message, StringComparison.Ordinal);
            Assert.True(acknowledged.Count > 100, $"only {acknowledged.Count} writes fitted in 3 MB");
            AssertStored(store, acknowledged, failed);

            disk.Resize("64m");
            var afterwards = Enumerable.Range(0, 50).Select(_ => TestPackets.Create(_random)).ToList();
            await Task.WhenAll(afterwards.Select(p => TestPackets.InsertAsync(store, p)));
            acknowledged.AddRange(afterwards);

            AssertStored(store, acknowledged, failed);
            using var reader = store.OpenReader();
            Assert.Equal("ok", TestStore.QuickCheck(reader));
            var chain = store.VerifyEventLog();
            Assert.True(chain.IsIntact, chain.ToString());
        }

        // And the next start (quick_check, tail verification) accepts it with everything in it.
        await using var reopened = TestStore.Open(disk.Path);
        AssertStored(reopened, acknowledged, []);
        Assert.True(reopened.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task A_backup_that_fills_its_disk_fails_as_a_full_disk_keeps_nothing_and_leaves_the_store_as_it_was()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess,
            "Needs root: it mounts a 256 KB tmpfs for the backup to fill. Run the tests as root to include it.");
        using var disk = TmpfsMount.Mount(_directory.Combine("stick"), "256k");
        await using var store = TestStore.Open(_directory.CreateDirectory("node"));
        await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => TestPackets.InsertAsync(store, TestPackets.Create(_random))));
        var head = store.VerifyEventLog().HeadSeq;
        var destination = Path.Combine(disk.Path, "node.backup");

        var full = await Assert.ThrowsAsync<IOException>(() => Backup.StoreBackup.CreateAsync(store, destination, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(28, full.HResult); // ENOSPC, as the system reports a full disk
        Assert.Equal($"The disk filled up during the backup to {destination}; nothing was kept.", full.Message);
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
        Assert.Equal(head, store.VerifyEventLog().HeadSeq);
    }

    // Writes 1 KB packets, eight at a time, until a write fails; returns that failure and the packets that were not stored.
    private async Task<(StoreWriteException Failure, List<PacketRecord> Failed)> WriteUntilAFailureAsync(NodeStore store, List<PacketRecord> acknowledged)
    {
        for (var round = 0; round < 10_000; round++)
        {
            var packets = Enumerable.Range(0, InFlight).Select(_ => TestPackets.Create(_random)).ToList();
            var writes = packets.Select(p => TestPackets.InsertAsync(store, p)).ToList();
            try
            {
                await Task.WhenAll(writes);
            }
            catch (StoreWriteException)
            {
                // Sorted out below, write by write.
            }

            var failed = new List<PacketRecord>();
            StoreWriteException? failure = null;
            for (var i = 0; i < InFlight; i++)
            {
                if (writes[i].IsCompletedSuccessfully)
                {
                    acknowledged.Add(packets[i]);
                }
                else
                {
                    failure ??= Assert.IsType<StoreWriteException>(writes[i].Exception?.InnerException);
                    failed.Add(packets[i]);
                }
            }

            if (failure is not null)
            {
                return (failure, failed);
            }
        }

        throw new InvalidOperationException($"{acknowledged.Count} writes and the disk is still not full.");
    }

    private static void AssertStored(NodeStore store, List<PacketRecord> acknowledged, List<PacketRecord> failed)
    {
        using var reader = store.OpenReader();
        var stored = TestPackets.StoredIds(reader);
        var lost = acknowledged.Count(p => !stored.Contains(Convert.ToHexStringLower(p.Id)));
        Assert.True(lost == 0, $"{lost} of {acknowledged.Count} acknowledged packets are missing");
        Assert.All(failed, p => Assert.DoesNotContain(Convert.ToHexStringLower(p.Id), stored));
    }
}
