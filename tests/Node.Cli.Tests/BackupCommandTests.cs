using Node.Cli.Tests.Fakes;
using Node.Cli.Tests.Support;

namespace Node.Cli.Tests;

public sealed class BackupCommandTests
{
    [Fact]
    public async Task Create_sends_the_path_made_absolute()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("backup", "create", "backups/node-20261124.db");

        Assert.Equal(0, run.Code);
        var sent = node.Backup.Creates.Only().Path;
        Assert.True(Path.IsPathRooted(sent), sent);
        Assert.Equal(Path.GetFullPath("backups/node-20261124.db"), sent);
        Assert.Equal(
            $"""
            backup written: {sent}
              made 2026-11-24 13:21:36Z, 16.0 KiB, 1204 packets, schema 3
              event log head 1290 {new string('a', 64)}

            """, run.Output);
    }

    [Fact]
    public async Task Create_draws_progress_on_a_terminal_and_clears_it()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run(new CliRunner { Terminal = true }, "backup", "create", "/srv/backups/node.db");

        Assert.Equal(0, run.Code);
        Assert.Equal(
            "\rbackup: 25% (1 of 4 pages)" +
            "\rbackup: 50% (2 of 4 pages)" +
            "\rbackup: 100% (4 of 4 pages)" +
            $"\r{new string(' ', 27)}\r", run.Error);
        Assert.DoesNotContain("\r", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true, "--json")]
    public async Task Create_draws_no_progress_into_a_pipe_or_with_json(bool terminal, params string[] json)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run(new CliRunner { Terminal = terminal }, ["backup", "create", "/srv/backups/node.db", .. json]);

        Assert.Equal((0, ""), (run.Code, run.Error));
    }

    [Fact]
    public async Task Create_json_is_the_result()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("backup", "create", "/srv/backups/node.db", "--json")).Json();

        Assert.Equal("/srv/backups/node.db", json.GetProperty("path").GetString());
        Assert.Equal(FakeKnowledgeService.Epoch, json.GetProperty("createdAt").GetInt64());
        Assert.Equal(3, json.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(1290, json.GetProperty("eventHeadSeq").GetInt64());
        Assert.Equal(new string('a', 64), json.GetProperty("eventHeadHash").GetString());
        Assert.Equal(1204, json.GetProperty("packets").GetInt64());
        Assert.Equal(16384, json.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task A_backup_that_ends_without_a_result_exits_1()
    {
        await using var node = await FakeNode.StartAsync();
        node.Backup.WithoutResult = true;

        var run = await node.Run("backup", "create", "/srv/backups/node.db");

        Assert.Equal((NodeCtl.Error, "nodectl: the node ended the backup to /srv/backups/node.db without a result\n"), (run.Code, run.Error));
    }

    [Fact]
    public async Task Status_before_any_backup()
    {
        await using var node = await FakeNode.StartAsync();

        var text = await node.Run("backup", "status");
        var json = await node.Run("backup", "status", "--json");

        Assert.Equal("no backup made by this node\n", text.Output);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.Json().GetProperty("last").ValueKind);
    }

    [Fact]
    public async Task Status_after_a_backup()
    {
        await using var node = await FakeNode.StartAsync();
        await node.Run("backup", "create", "/srv/backups/node.db");

        var text = await node.Run("backup", "status");
        var json = await node.Run("backup", "status", "--json");

        Assert.StartsWith("last backup: /srv/backups/node.db\n  made 2026-11-24 13:21:36Z", text.Output, StringComparison.Ordinal);
        Assert.Equal("/srv/backups/node.db", json.Json().GetProperty("last").GetProperty("path").GetString());
    }
}
