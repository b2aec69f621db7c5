using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests;

/// <summary>
/// The real <c>sovereign-node</c> process, as systemd runs it: notify socket, watchdog, signals.
/// Runs against the JIT build and, when one is published, the native-AOT binary.
/// </summary>
public sealed class DaemonProcessTests
{
    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Under_the_journal_each_event_is_one_line_with_its_priority_and_no_timestamp(string kind)
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        // As systemd does: JOURNAL_STREAM names the device and inode of the stream stdout goes to.
        using var daemon = DaemonProcess.StartUnderShell(kind, dir.Path,
            "export JOURNAL_STREAM=$(stat -L -c %d:%i /proc/$$/fd/1); exec \"$@\" --name journal-test",
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");
        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        var lines = daemon.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, line => line.StartsWith("<6>NodeLifecycle: Node journal-test ready: node id ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("<4>IdentityHost: New node identity ", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Matches(@"^<[2-7]>\w+: ", line));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_value_of_the_wrong_type_exits_with_code_2(string kind)
    {
        using var dir = new TempDirectory();

        var (code, _, error) = await DaemonProcess.RunToEndAsync(kind, dir.Path, "--peer-port", "eighty");

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Equal("sovereign-node: configuration error: Federation:PeerPort must be a whole number; was 'eighty'.\n", error);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_second_node_on_the_same_state_directory_is_refused_with_code_3(string kind)
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        using var first = DaemonProcess.Start(kind, dir.Path, [], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");

        var (code, _, error) = await DaemonProcess.RunToEndAsync(kind, dir.Path);

        Assert.Equal(ExitCodes.StateUnusable, code);
        Assert.Contains($"is in use by another process (pid {first.Id})", error, StringComparison.Ordinal);
        first.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await first.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Reports_ready_pings_the_watchdog_and_stops_cleanly_on_SIGTERM(string kind)
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        using var daemon = DaemonProcess.Start(kind, dir.Path, ["--name", "proc-test"],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "1000000" });

        await notify.WaitForAsync("READY=1");
        Assert.True(Directory.Exists(dir.Combine(".node")));
        await notify.WaitForAsync("WATCHDOG=1");
        await notify.WaitForAsync("WATCHDOG=1");
        daemon.Signal(DaemonProcess.SIGTERM);
        await notify.WaitForAsync("STOPPING=1");

        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(notify.Seen, m => m.StartsWith("STATUS=Ready: node proc-test", StringComparison.Ordinal));
        Assert.Contains("Node proc-test stopped cleanly.", daemon.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", daemon.StandardOutput, StringComparison.Ordinal); // no colours into a pipe
        Assert.Empty(daemon.StandardError);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SIGINT_stops_it_cleanly_too(string kind)
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        using var daemon = DaemonProcess.Start(kind, dir.Path, [], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");

        daemon.Signal(DaemonProcess.SIGINT);

        await notify.WaitForAsync("STOPPING=1");
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("stopped cleanly.", daemon.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SIGHUP_reloads_the_config_file_logs_what_changed_and_refuses_a_broken_one(string kind)
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var logs = dir.Combine("logs");
        // The peer port from the file (0: a free one), not from the test environment, so its change is the file's.
        var config = dir.Write("node.json", """{ "Node": { "Name": "before" }, "Logging": { "Level": "Information" }, "Federation": { "PeerPort": 0 } }""");
        using var daemon = DaemonProcess.Start(kind, dir.Path, ["--config", config, "--log-dir", logs],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path, ["SOVEREIGN_NODE__Federation__PeerPort"] = "" });
        await notify.WaitForAsync("READY=1");

        File.WriteAllText(config, """{ "Node": { "Name": "after" }, "Logging": { "Level": "Debug" }, "Federation": { "PeerPort": 9100 } }""");
        daemon.Signal(DaemonProcess.SIGHUP);
        await notify.WaitForAsync("RELOADING=1");
        await notify.WaitForAsync("READY=1");
        var log = await LogFiles.WaitForAsync(logs, "node-*.log", "Configuration reloaded");

        Assert.Contains($"Configuration reloaded from {config}: Federation:PeerPort: '0' -> '9100'; Logging:Level: 'Information' -> 'Debug'; Node:Name: 'before' -> 'after'.",
            log, StringComparison.Ordinal);
        Assert.Contains("[WRN] ConfigReloader: Configuration changes to Federation:PeerPort take effect at the next restart.", log, StringComparison.Ordinal);

        File.WriteAllText(config, """{ "Federation": { "PeerPort": 99999 } }""");
        daemon.Signal(DaemonProcess.SIGHUP);
        await notify.WaitForAsync("RELOADING=1");
        await notify.WaitForAsync("READY=1");
        var errors = await LogFiles.WaitForAsync(logs, "errors-*.log", "Configuration reload refused");

        Assert.Contains("Federation:PeerPort must be a port from 0 to 65535", errors, StringComparison.Ordinal);
        Assert.False(daemon.HasExited, "A refused reload keeps the node running.");
        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Node after stopped cleanly.", LogFiles.Read(logs, "node-*.log"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SIGHUP_during_start_up_neither_kills_the_node_nor_is_lost(string kind)
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var config = dir.Write("node.json", """{ "Node": { "Name": "before" } }""");
        using var daemon = DaemonProcess.Start(kind, dir.Path, ["--config", config], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("STATUS=Starting node before");
        File.WriteAllText(config, """{ "Node": { "Name": "after" } }""");

        daemon.Signal(DaemonProcess.SIGHUP); // while it opens its store, before READY=1

        await notify.WaitForAsync("READY=1");
        await notify.WaitForAsync("RELOADING=1");
        await notify.WaitForAsync("STATUS=Running: node after");
        Assert.False(daemon.HasExited);
        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_bad_option_exits_with_code_2_and_names_it(string kind)
    {
        using var dir = new TempDirectory();

        var (code, output, error) = await DaemonProcess.RunToEndAsync(kind, dir.Path, "--peer-port", "70000");

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Equal("", output);
        Assert.Equal("sovereign-node: configuration error: Federation:PeerPort must be a port from 0 to 65535 (0 picks a free port); was 70000.\n", error);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_unknown_flag_exits_with_code_2(string kind)
    {
        using var dir = new TempDirectory();

        var (code, _, error) = await DaemonProcess.RunToEndAsync(kind, dir.Path, "--frobnicate");

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Contains("unknown option '--frobnicate'", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Version_and_help_print_and_exit_0(string kind)
    {
        using var dir = new TempDirectory();

        var version = await DaemonProcess.RunToEndAsync(kind, dir.Path, "--version");
        var help = await DaemonProcess.RunToEndAsync(kind, dir.Path, "--help");

        Assert.Equal((0, "sovereign-node 0.1.0\n"), (version.ExitCode, version.Output));
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage: sovereign-node [options]", help.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine(".node")), "--help and --version touch nothing.");
    }
}
