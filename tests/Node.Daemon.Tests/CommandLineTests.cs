using Node.Daemon.CommandLine;

namespace Node.Daemon.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Each_setting_flag_sets_its_configuration_key()
    {
        Assert.True(DaemonCommandLine.TryParse(
            ["--data-dir", "/d", "--log-dir=/l", "--name", "n1", "--peer-port", "0", "--log-level", "Debug", "--config", "c.json"],
            out var parsed, out var error), error);

        Assert.Equal(DaemonCommand.Run, parsed.Command);
        Assert.Equal("c.json", parsed.ConfigFile);
        Assert.Equal("/d", parsed.Settings["Node:DataDirectory"]);
        Assert.Equal("/l", parsed.Settings["Logging:Directory"]);
        Assert.Equal("n1", parsed.Settings["Node:Name"]);
        Assert.Equal("0", parsed.Settings["Federation:PeerPort"]);
        Assert.Equal("Debug", parsed.Settings["Logging:Level"]);
    }

    [Fact]
    public void No_discovery_switches_mdns_off_and_takes_no_value()
    {
        Assert.True(DaemonCommandLine.TryParse(["--no-discovery", "--name", "n1"], out var parsed, out var error), error);
        Assert.False(DaemonCommandLine.TryParse(["--no-discovery=true"], out _, out var refused));

        Assert.Equal("false", parsed.Settings["Federation:Discovery:Enabled"]);
        Assert.Equal("n1", parsed.Settings["Node:Name"]);
        Assert.Equal("option '--no-discovery' takes no value", refused);
    }

    [Fact]
    public void Set_takes_any_key_and_accepts_double_underscores()
    {
        Assert.True(DaemonCommandLine.TryParse(["--set", "Logging__RetainedFileCount=7", "--set=Node:Name=a=b"], out var parsed, out _));

        Assert.Equal("7", parsed.Settings["Logging:RetainedFileCount"]);
        Assert.Equal("a=b", parsed.Settings["Node:Name"]);
    }

    [Theory]
    [InlineData(new[] { "--help" }, DaemonCommand.Help)]
    [InlineData(new[] { "-h" }, DaemonCommand.Help)]
    [InlineData(new[] { "--version" }, DaemonCommand.Version)]
    [InlineData(new[] { "-V", "--help" }, DaemonCommand.Help)]
    public void Help_and_version_are_commands(string[] args, DaemonCommand expected)
    {
        Assert.True(DaemonCommandLine.TryParse(args, out var parsed, out _));
        Assert.Equal(expected, parsed.Command);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--bogus=1" }, "unknown option '--bogus'")]
    [InlineData(new[] { "-x" }, "unknown option '-x'")]
    [InlineData(new[] { "--data-dir" }, "option '--data-dir' needs a value")]
    [InlineData(new[] { "--name", "--peer-port", "1" }, "option '--name' needs a value")]
    [InlineData(new[] { "run" }, "unexpected argument 'run'")]
    [InlineData(new[] { "--set", "novalue" }, "--set needs KEY=VALUE")]
    [InlineData(new[] { "restore" }, "restore needs --from BACKUP")]
    [InlineData(new[] { "--from", "b.db" }, "unknown option '--from'")]
    [InlineData(new[] { "--mark-corrupt" }, "unknown option '--mark-corrupt'")]
    [InlineData(new[] { "restore", "--from", "b.db", "--mark-corrupt=yes" }, "option '--mark-corrupt' takes no value")]
    public void Bad_arguments_are_named_in_the_error(string[] args, string expected)
    {
        Assert.False(DaemonCommandLine.TryParse(args, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_takes_a_backup_and_the_usual_settings()
    {
        Assert.True(DaemonCommandLine.TryParse(["restore", "--from", "/b/node.backup", "--data-dir", "/d"], out var parsed, out var error), error);

        Assert.Equal(DaemonCommand.Restore, parsed.Command);
        Assert.Equal("/b/node.backup", parsed.RestoreFrom);
        Assert.Equal("/d", parsed.Settings["Node:DataDirectory"]);
        Assert.False(parsed.RestoreMarkCorrupt);
    }

    [Fact]
    public void Restore_marks_bad_packets_corrupt_only_when_told_to()
    {
        Assert.True(DaemonCommandLine.TryParse(["restore", "--mark-corrupt", "--from", "/b/node.backup"], out var parsed, out var error), error);

        Assert.True(parsed.RestoreMarkCorrupt);
        Assert.Contains("--mark-corrupt", HelpText.Usage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_flag_and_the_exit_codes()
    {
        var usage = HelpText.Usage();

        foreach (var (flag, key, _, _) in DaemonCommandLine.SettingFlags)
        {
            Assert.Contains(flag, usage, StringComparison.Ordinal);
            Assert.Contains(key, usage, StringComparison.Ordinal);
        }

        foreach (var (flag, key, value, _) in DaemonCommandLine.SwitchFlags)
        {
            Assert.Contains(flag, usage, StringComparison.Ordinal);
            Assert.Contains($"{key}={value}", usage, StringComparison.Ordinal);
        }

        Assert.Contains("--config FILE", usage, StringComparison.Ordinal);
        Assert.Contains("2 usage or configuration error", usage, StringComparison.Ordinal);
    }
}
