using Google.Protobuf;
using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Storage.Backup;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>BackupService over the real socket of an in-process node.</summary>
public sealed class BackupApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<List<Protocol.Api.BackupProgress>> CreateAsync(ApiNode node, string path)
    {
        using var create = new BackupService.BackupServiceClient(node.Channel).Create(new CreateBackupRequest { Path = path }, cancellationToken: Token);
        return await create.ResponseStream.ReadAllAsync(Token).ToListAsync(Token);
    }

    [Fact]
    public async Task Create_streams_progress_then_the_result_of_a_valid_backup_which_status_then_reports()
    {
        await using var node = await ApiNode.StartAsync();
        using var target = new TempDirectory();
        var path = target.Combine("node.backup");
        var knowledge = new KnowledgeService.KnowledgeServiceClient(node.Channel);
        for (var i = 0; i < 4; i++)
        {
            await knowledge.PutAsync(new PutKnowledgeRequest { Topic = "b", Key = $"k{i}", Content = ByteString.CopyFromUtf8(new string('x', 10_000)) },
                cancellationToken: Token);
        }

        var backups = new BackupService.BackupServiceClient(node.Channel);
        var before = await backups.GetStatusAsync(new GetBackupStatusRequest(), cancellationToken: Token);
        var head = (await new LogService.LogServiceClient(node.Channel).VerifyAsync(new VerifyLogRequest(), cancellationToken: Token)).HeadSeq;
        var messages = await CreateAsync(node, path);
        var status = await backups.GetStatusAsync(new GetBackupStatusRequest(), cancellationToken: Token);

        Assert.Null(before.Last);
        var result = messages[^1].Result;
        Assert.NotNull(result);
        Assert.All(messages[..^1], m =>
        {
            Assert.Null(m.Result);
            Assert.InRange(m.PagesDone, 0, m.PagesTotal);
        });
        Assert.Equal(path, result.Path);
        Assert.Equal(4, result.Packets);
        Assert.Equal(new FileInfo(path).Length, result.Bytes);
        Assert.Equal(head, result.EventHeadSeq);
        Assert.True(result.CreatedAt > 0);
        var read = StoreBackup.Read(path); // throws unless the file is a backup it can use
        Assert.Equal((path, read.Packets, read.Bytes, read.EventHeadSeq, Convert.ToHexStringLower(read.EventHeadHash), read.SchemaVersion),
            (result.Path, result.Packets, result.Bytes, result.EventHeadSeq, result.EventHeadHash, result.SchemaVersion));
        Assert.Equal(result, status.Last);
        // It holds what the store holds: owner only, whatever the node's umask.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_relative_path_an_existing_file_and_a_missing_directory_are_refused()
    {
        await using var node = await ApiNode.StartAsync();
        using var target = new TempDirectory();
        var existing = target.Write("taken", "not a backup");

        var relative = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(node, "backups/node.backup"));
        var exists = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(node, existing));
        var directory = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(node, target.Path));
        var missing = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(node, target.Combine("no-such-dir", "node.backup")));

        Assert.Equal(StatusCode.InvalidArgument, relative.StatusCode);
        Assert.StartsWith("path: ", relative.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.AlreadyExists, exists.StatusCode);
        Assert.Contains(existing, exists.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.AlreadyExists, directory.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, missing.StatusCode);
        Assert.Contains("does not exist", missing.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("not a backup", File.ReadAllText(existing));
        Assert.Equal(["taken"], Directory.EnumerateFileSystemEntries(target.Path).Select(Path.GetFileName));
        Assert.Null((await new BackupService.BackupServiceClient(node.Channel).GetStatusAsync(new GetBackupStatusRequest(), cancellationToken: Token)).Last);
    }

    [Fact]
    public async Task A_directory_the_node_may_not_write_is_refused_naming_the_path_and_why_and_the_node_goes_on()
    {
        // sysfs refuses a new file to everyone, root included (a container may mount it read-only).
        Assert.SkipUnless(Directory.Exists("/sys/kernel"), "No sysfs at /sys.");
        await using var node = await ApiNode.StartAsync();
        const string path = "/sys/sovereign-node-test.backup";

        var refused = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(node, path));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("/sys", refused.Status.Detail, StringComparison.Ordinal);
        Assert.True(refused.Status.Detail.StartsWith("Permission denied: ", StringComparison.Ordinal)
            || refused.Status.Detail.Contains("read-only file system", StringComparison.Ordinal), refused.Status.Detail);
        Assert.False(File.Exists(path));
        Assert.Null((await new BackupService.BackupServiceClient(node.Channel).GetStatusAsync(new GetBackupStatusRequest(), cancellationToken: Token)).Last);
    }

    [Fact]
    public async Task A_file_in_the_way_of_the_directory_and_a_directory_in_the_way_of_the_file_are_named()
    {
        await using var node = await ApiNode.StartAsync();
        using var target = new TempDirectory();
        var file = target.Write("file", "not a directory");

        var underFile = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(node, Path.Combine(file, "node.backup")));
        var directory = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(node, target.Path));

        Assert.Equal(StatusCode.FailedPrecondition, underFile.StatusCode);
        Assert.Equal($"{file} is a file, not a directory: no backup can be made in it.", underFile.Status.Detail);
        Assert.Equal(StatusCode.AlreadyExists, directory.StatusCode);
        Assert.Equal($"{target.Path} is a directory; give the name of a new file in it (a backup is always a new file).", directory.Status.Detail);
    }

    [Fact]
    public void What_the_system_says_is_named_with_its_status()
    {
        const string path = "/media/stick/node.backup";
        var readOnly = Node.Daemon.Api.BackupApi.CannotWrite(path, "/media/stick", new IOException("Read-only file system", 30));
        var full = Node.Daemon.Api.BackupApi.CannotWrite(path, "/media/stick", new IOException("No space left on device", 28));
        var denied = Node.Daemon.Api.BackupApi.CannotWrite(path, "/media/stick", new UnauthorizedAccessException());
        var tooLong = Node.Daemon.Api.BackupApi.CannotWrite(path, "/media/stick", new PathTooLongException());

        Assert.Equal((StatusCode.FailedPrecondition, "/media/stick is on a read-only file system; choose another place for the backup."),
            (readOnly.StatusCode, readOnly.Status.Detail));
        Assert.Equal((StatusCode.ResourceExhausted, "The disk of /media/stick is full; free space there, or choose another place."),
            (full.StatusCode, full.Status.Detail));
        Assert.Equal(StatusCode.FailedPrecondition, denied.StatusCode);
        Assert.StartsWith($"Permission denied: the node's user ({Environment.UserName}) may not create {path}", denied.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, tooLong.StatusCode);
        Assert.StartsWith("path: ", tooLong.Status.Detail, StringComparison.Ordinal);
    }
}
