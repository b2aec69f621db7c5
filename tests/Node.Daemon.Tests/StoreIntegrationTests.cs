using Microsoft.Data.Sqlite;
using Node.Daemon.Tests.Support;
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
        var kinds = EventLog.Tail(reader, 100).Select(e => e.Kind).ToList();
        Assert.Equal([EventKinds.StoreCreated, EventKinds.IdentityCreated, EventKinds.NodeStarted, EventKinds.ConfigReloaded, EventKinds.NodeStopped], kinds);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine(".node", "identity.key")));
        Assert.True(store.VerifyEventLog().IsIntact);
        var reload = EventLog.Tail(reader, 100).Single(e => e.Kind == EventKinds.ConfigReloaded);
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
}
