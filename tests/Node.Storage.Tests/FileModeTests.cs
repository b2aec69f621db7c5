using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Node.Storage.Backup;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

// node.db, its -wal and -shm, and backups hold the node's knowledge and its API-key records; they
// took the process umask (0644 outside systemd). The test process's umask is 0022, like a shell's.
public sealed class FileModeTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;
    private const UnixFileMode OpenToOthers = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly TempDirectory _directory = new();
    private readonly Random _random = new(44);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_new_store_and_the_files_SQLite_makes_beside_it_are_owner_only()
    {
        var state = Directory.CreateDirectory(_directory.Combine("state"), PrivateDirectory).FullName;
        var logger = new FakeLogger();

        await using var store = TestStore.Open(state, logger: logger);
        await TestPackets.InsertAsync(store, TestPackets.Create(_random));
        using var reader = store.OpenReader();
        _ = reader.Events.After(0, 1);

        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            Assert.Equal((store.Path + suffix, Private), (store.Path + suffix, File.GetUnixFileMode(store.Path + suffix)));
        }

        Assert.Equal(PrivateDirectory, File.GetUnixFileMode(state));
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task A_store_open_to_others_is_made_owner_only_at_open_with_one_warning_per_file_naming_both_modes()
    {
        var state = _directory.CreateDirectory("state");
        var database = Path.Combine(state, NodeStore.FileName);
        await using (var made = TestStore.Open(state))
        {
            await TestPackets.InsertAsync(made, TestPackets.Create(_random));
        }

        File.SetUnixFileMode(state, PrivateDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(database, OpenToOthers);
        using (File.Create(database + "-wal"))
        {
            // An empty write-ahead log, as a crash can leave; SQLite reads it as none.
        }

        File.SetUnixFileMode(database + "-wal", OpenToOthers | UnixFileMode.GroupWrite);
        var logger = new FakeLogger();

        await using var store = TestStore.Open(state, logger: logger);
        await TestPackets.InsertAsync(store, TestPackets.Create(_random));

        Assert.Equal((PrivateDirectory, Private, Private, Private),
            (File.GetUnixFileMode(state), File.GetUnixFileMode(database), File.GetUnixFileMode(database + "-wal"), File.GetUnixFileMode(database + "-shm")));
        Assert.Equal(
        [
            $"{state} had mode 0755, open to other users; set to 0700: the node's state and store hold its knowledge and API-key records.",
            $"{database} had mode 0644, open to other users; set to 0600: the node's state and store hold its knowledge and API-key records.",
            $"{database}-wal had mode 0664, open to other users; set to 0600: the node's state and store hold its knowledge and API-key records.",
        ], logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message));
    }

    [Fact]
    public async Task A_backup_is_owner_only()
    {
        var state = _directory.CreateDirectory("state");
        var backup = _directory.Combine("backup.db");
        await using var store = TestStore.Open(state);
        await TestPackets.InsertAsync(store, TestPackets.Create(_random));

        await StoreBackup.CreateAsync(store, backup, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Private, File.GetUnixFileMode(backup));
    }

    [Fact]
    public async Task A_store_restored_from_a_backup_open_to_others_and_the_copy_it_replaced_are_owner_only()
    {
        var state = _directory.CreateDirectory("state");
        var backup = _directory.Combine("backup.db");
        await using (var store = TestStore.Open(state))
        {
            await TestPackets.InsertAsync(store, TestPackets.Create(_random));
            await StoreBackup.CreateAsync(store, backup, cancellationToken: TestContext.Current.CancellationToken);
        }

        File.SetUnixFileMode(backup, OpenToOthers);
        File.SetUnixFileMode(Path.Combine(state, NodeStore.FileName), OpenToOthers);

        var (_, replaced, _, _, _) = StoreBackup.Restore(backup, state, new FakeTimeProvider(new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero)), TestPackets.VerifyAll);

        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(state, NodeStore.FileName)));
        Assert.Equal(Private, File.GetUnixFileMode(replaced!));
    }
}
