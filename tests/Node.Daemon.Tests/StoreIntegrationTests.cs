using Microsoft.Data.Sqlite;
using Node.Daemon.Tests.Support;
using Node.Federation.Identity;
using Node.Storage;
using Node.Storage.Events;

namespace Node.Daemon.Tests;

/// <summary>The daemon and its store: opened before READY, every state change in the event log.</summary>
public sealed class StoreIntegrationTests
{
    [Theory]
    [MemberData(nameof(DaemonProcessTests.Kinds), MemberType = typeof(DaemonProcessTests))]
    public async Task Start_reload_and_stop_are_recorded_in_a_chain_that_verifies(string kind)
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var config = dir.Write("node.json", """{ "Node": { "Name": "one" } }""");
        using var daemon = DaemonProcess.Start(kind, dir.Path, ["--config", config], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");
        File.WriteAllText(config, """{ "Node": { "Name": "two" } }""");
        daemon.Signal(DaemonProcess.SIGHUP);
        await notify.WaitForAsync("RELOADING=1");
        await notify.WaitForAsync("READY=1");
        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        await using var store = NodeStore.Open(dir.Combine(".node"), new StoreOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var reader = store.OpenReader();
        var kinds = reader.Events.Tail(100).Select(e => e.Kind).ToList();
        Assert.Equal([EventKinds.StoreCreated, EventKinds.IdentityCreated, EventKinds.NodeStarted, EventKinds.ConfigReloaded, EventKinds.NodeStopped], kinds);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine(".node", "identity.key")));
        Assert.True(store.VerifyEventLog().IsIntact);
        var reload = reader.Events.Tail(100).Single(e => e.Kind == EventKinds.ConfigReloaded);
        Assert.Equal("""{"changed":["Node:Name"]}""", System.Text.Encoding.UTF8.GetString(reload.Payload));
    }

    [Fact]
    public async Task An_identity_key_readable_by_others_is_refused_with_code_3()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine(".node"));
        var key = dir.Write(Path.Combine(".node", "identity.key"), "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var error = new StringWriter();

        var code = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), [], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.StateUnusable, code);
        Assert.Contains($"The identity key {key} may be read by others (mode 644); it must be 0600.", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("MC4CAQAw", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_from_a_newer_version_is_refused_with_code_3_and_left_untouched()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine(".node"));
        var db = dir.Combine(".node", NodeStore.FileName);
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE future (x); PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var before = await File.ReadAllBytesAsync(db, TestContext.Current.CancellationToken);
        var error = new StringWriter();

        var code = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), [], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.StateUnusable, code);
        Assert.Contains("has schema version 99, newer than this sovereign-node understands", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(db, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("emptied")]
    public async Task A_node_that_has_an_identity_but_lost_its_store_is_refused_with_code_3_and_nothing_is_replaced(string loss)
    {
        using var dir = new TempDirectory();
        var data = dir.Combine(".node");
        Directory.CreateDirectory(data);
        IdentityHost.LoadOrCreate(data, Microsoft.Extensions.Logging.Abstractions.NullLogger<IdentityHost>.Instance).Dispose();
        var db = Path.Combine(data, NodeStore.FileName);
        if (loss == "emptied")
        {
            File.WriteAllBytes(db, []);
        }

        var error = new StringWriter();

        var code = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), [], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.StateUnusable, code);
        Assert.Contains($"{db} {(loss == "missing" ? "is missing" : "is empty")}, but this node has an identity, so it has had a store",
            error.ToString(), StringComparison.Ordinal);
        Assert.Contains("sovereign-node restore --from BACKUP", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(loss == "emptied", File.Exists(db));
        Assert.True(loss == "missing" || new FileInfo(db).Length == 0);
        Assert.False(File.Exists(db + "-wal"));
    }

    [Fact]
    public async Task New_store_starts_a_node_over_empty_only_when_asked_and_never_over_a_store()
    {
        var dir = new TempDirectory(); // the node owns it once started
        string id;
        try
        {
            var data = dir.Combine(".node");
            Directory.CreateDirectory(data);
            using (var identity = IdentityHost.LoadOrCreate(data, Microsoft.Extensions.Logging.Abstractions.NullLogger<IdentityHost>.Instance))
            {
                id = identity.Identity.Id.ToString();
            }

            var output = new StringWriter();
            Assert.Equal(ExitCodes.Ok, await DaemonProgram.RunAsync(["new-store", "--data-dir", data], Launch(dir.Path), output, TextWriter.Null, stoppingToken: TestContext.Current.CancellationToken));
            Assert.Contains("Made an empty store", output.ToString(), StringComparison.Ordinal);
            var again = new StringWriter();
            Assert.Equal(ExitCodes.StateUnusable, await DaemonProgram.RunAsync(["new-store", "--data-dir", data], Launch(dir.Path), TextWriter.Null, again, stoppingToken: TestContext.Current.CancellationToken));
            Assert.Contains("new-store refused", again.ToString(), StringComparison.Ordinal);
        }
        catch
        {
            dir.Dispose();
            throw;
        }

        await using var node = await ApiNode.StartAsync(dir);
        var status = await new Node.Protocol.Api.NodeService.NodeServiceClient(node.Channel)
            .GetStatusAsync(new Node.Protocol.Api.GetStatusRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(id, status.NodeId);
    }

    private static Func<Node.Daemon.CommandLine.DaemonCommandLine, DaemonLaunch> Launch(string directory) =>
        commandLine => new DaemonLaunch(commandLine, DaemonProcess.Quiet.ToDictionary(p => p.Key, p => (string?)p.Value), directory, Environment.ProcessId);
}
