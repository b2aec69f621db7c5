using System.Diagnostics;
using Node.Cli.Tests.Support;

namespace Node.Cli.Tests;

/// <summary>Help, version and usage errors: everything nodectl says without a node.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("--version")]
    [InlineData("-V")]
    [InlineData("knowledge", "put", "--version")]
    public async Task Version_prints_the_version_on_any_level(params string[] args) =>
        Assert.Equal(new CliRun(0, "nodectl 0.1.0\n", ""), await CliRunner.Run(args));

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_lists_the_commands_and_the_exit_codes(params string[] args)
    {
        var run = await CliRunner.Run(args);

        Assert.Equal(0, run.Code);
        foreach (var command in (string[])["status", "knowledge", "peers", "decisions", "log", "backup", "apikey", "dashboard", "completion"])
        {
            Assert.Contains($"\n  {command} ", run.Output, StringComparison.Ordinal);
        }

        Assert.Contains("3  the node cannot be reached", run.Output, StringComparison.Ordinal);
        Assert.Contains("--socket <PATH>", run.Output, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Theory]
    [InlineData(new[] { "knowledge", "--help" }, "watch")]
    [InlineData(new[] { "help", "knowledge", "put" }, "--depends-on <ID>")]
    [InlineData(new[] { "peers", "trust", "-h" }, "core, sandbox, external, unknown")]
    [InlineData(new[] { "decisions", "reject", "--help" }, "--reason <TEXT> (REQUIRED)")]
    [InlineData(new[] { "log", "tail", "--help" }, "-f, --follow")]
    public async Task Every_level_has_help(string[] args, string expected)
    {
        var run = await CliRunner.Run(args);

        Assert.Equal(0, run.Code);
        Assert.Contains(expected, run.Output, StringComparison.Ordinal);
        Assert.Contains("--json", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exit codes", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'", "nodectl --help")]
    [InlineData(new[] { "knowlege", "list" }, "unknown command 'knowlege' (did you mean 'knowledge'?)", "nodectl --help")]
    [InlineData(new[] { "status", "--colour" }, "unknown option '--colour'", "nodectl status --help")]
    [InlineData(new[] { "status", "--socket" }, "option '--socket' needs PATH", "nodectl status --help")]
    [InlineData(new[] { "--socket", "", "status" }, "--socket: must not be empty", "nodectl status --help")]
    [InlineData(new[] { "knowledge", "list", "--socket", " " }, "--socket: must not be empty", "nodectl knowledge list --help")]
    [InlineData(new[] { "knowledge" }, "'knowledge' needs a command: put, get, list, watch", "nodectl knowledge --help")]
    [InlineData(new[] { "knowledge", "put", "--topic", "t", "--key", "k" }, "give the content: --content TEXT, or --file FILE", "nodectl knowledge put --help")]
    [InlineData(new[] { "knowledge", "put", "--topic", "t", "--key", "k", "--content", "x", "--file", "f" }, "--content and --file cannot be used together", "nodectl knowledge put --help")]
    [InlineData(new[] { "knowledge", "put", "--content", "x" }, "missing option --topic TOPIC", "nodectl knowledge put --help")]
    [InlineData(new[] { "knowledge", "put", "--topic", "t", "--key", "k", "--content", "x", "--kind", "rumour" }, "--kind: 'rumour' is not one of note, observation", "nodectl knowledge put --help")]
    [InlineData(new[] { "knowledge", "put", "--topic", "t", "--key", "k", "--content", "x", "--depends-on", "abc" }, "--depends-on: 'abc' is not a packet id", "nodectl knowledge put --help")]
    [InlineData(new[] { "knowledge", "get" }, "give a packet ID, or --topic TOPIC --key KEY", "nodectl knowledge get --help")]
    [InlineData(new[] { "knowledge", "get", "--topic", "t" }, "--topic and --key go together", "nodectl knowledge get --help")]
    [InlineData(new[] { "knowledge", "list", "--limit", "0" }, "--limit: '0' is not a whole number from 1 to 1000", "nodectl knowledge list --help")]
    [InlineData(new[] { "peers", "add", "pantry.local" }, "HOST:PORT: 'pantry.local' is not HOST:PORT", "nodectl peers add --help")]
    [InlineData(new[] { "peers", "trust", "ABCDEFG", "best-friend" }, "TIER: 'best-friend' is not one of core, sandbox, external, unknown", "nodectl peers trust --help")]
    [InlineData(new[] { "peers", "trust" }, "missing NODEID and TIER", "nodectl peers trust --help")]
    [InlineData(new[] { "peers", "forget" }, "give the peer's NODEID, or --address HOST:PORT", "nodectl peers forget --help")]
    [InlineData(new[] { "decisions", "approve", "d-1" }, "missing option --reason TEXT", "nodectl decisions approve --help")]
    [InlineData(new[] { "decisions", "reject", "d-1", "--reason", " " }, "--reason: must not be empty", "nodectl decisions reject --help")]
    [InlineData(new[] { "decisions", "list", "--status", "pending", "--all" }, "--status and --all cannot be used together", "nodectl decisions list --help")]
    [InlineData(new[] { "log", "tail", "-n", "many" }, "-n: 'many' is not a whole number from 1 to 10000", "nodectl log tail --help")]
    [InlineData(new[] { "log", "tail", "-n", "5", "--after-seq", "9" }, "-n and --after-seq cannot be used together", "nodectl log tail --help")]
    [InlineData(new[] { "backup", "create" }, "missing PATH", "nodectl backup create --help")]
    [InlineData(new[] { "backup", "create", "" }, "PATH: must not be empty", "nodectl backup create --help")]
    [InlineData(new[] { "knowledge", "put", "--topic", "t", "--key", "k", "--file", "" }, "--file: must not be empty", "nodectl knowledge put --help")]
    [InlineData(new[] { "apikey", "create" }, "missing option --scope read|write|admin", "nodectl apikey create --help")]
    [InlineData(new[] { "identity" }, "'identity' needs a command: show, rotate", "nodectl identity --help")]
    [InlineData(new[] { "identity", "rotate", "--yes" }, "unknown option '--yes'", "nodectl identity rotate --help")]
    [InlineData(new[] { "identity", "rotate", "now" }, "unknown argument 'now'", "nodectl identity rotate --help")]
    [InlineData(new[] { "completion", "tcsh" }, "SHELL: 'tcsh' is not one of bash, zsh, fish", "nodectl completion --help")]
    public async Task Bad_usage_exits_2_naming_the_problem_and_where_help_is(string[] args, string problem, string help)
    {
        var run = await CliRunner.Run(args);

        Assert.Equal(NodeCtl.UsageError, run.Code);
        Assert.Equal("", run.Output);
        Assert.Contains($"nodectl: {problem}", run.Error, StringComparison.Ordinal);
        Assert.EndsWith($"Try '{help}'.\n", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_native_AOT_binary_runs_when_published()
    {
        var dir = Environment.GetEnvironmentVariable("SOVEREIGN_NODE_AOT_DIR");
        Assert.SkipWhen(string.IsNullOrEmpty(dir), "No AOT binary published (scripts/test.sh publishes one and sets SOVEREIGN_NODE_AOT_DIR).");
        var start = new ProcessStartInfo(Path.Combine(dir!, "nodectl"), "--version") { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;

        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal((0, "nodectl 0.1.0\n"), (process.ExitCode, output));
    }
}
