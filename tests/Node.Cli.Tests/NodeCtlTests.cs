using System.Diagnostics;

namespace Node.Cli.Tests;

public sealed class NodeCtlTests
{
    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await NodeCtl.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Version_prints_the_version() => Assert.Equal((0, "nodectl 0.1.0\n", ""), await Run("--version"));

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("help")]
    public async Task Help_prints_usage_with_the_exit_codes(params string[] args)
    {
        var (code, output, _) = await Run(args);

        Assert.Equal(0, code);
        Assert.Contains("Usage: nodectl COMMAND [--json] [--socket PATH]", output, StringComparison.Ordinal);
        Assert.Contains("3 cannot reach the node", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "status", "--colour" }, "unknown option '--colour'")]
    [InlineData(new[] { "status", "--socket" }, "option '--socket' needs a path")]
    public async Task Bad_usage_exits_2_and_names_the_problem(string[] args, string expected)
    {
        var (code, output, error) = await Run(args);

        Assert.Equal(NodeCtl.UsageError, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_is_not_there_exits_3_naming_the_socket_and_how_to_start_it()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"sovereign-absent-{Guid.NewGuid():N}.sock");

        var (code, _, error) = await Run("status", "--socket", socket);

        Assert.Equal(NodeCtl.Unreachable, code);
        Assert.Contains($"no node socket at {socket}", error, StringComparison.Ordinal);
        Assert.Contains("systemctl start sovereign-node", error, StringComparison.Ordinal);
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
