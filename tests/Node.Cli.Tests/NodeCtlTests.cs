using System.Diagnostics;

namespace Node.Cli.Tests;

public sealed class NodeCtlTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = NodeCtl.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Version_prints_the_version() => Assert.Equal((0, "nodectl 0.1.0\n", ""), Run("--version"));

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("help")]
    public void Help_prints_usage(params string[] args)
    {
        var (code, output, _) = Run(args);

        Assert.Equal(0, code);
        Assert.Contains("Usage: nodectl", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_is_a_usage_error_that_names_it()
    {
        var (code, output, error) = Run("status");

        Assert.Equal(NodeCtl.UsageError, code);
        Assert.Equal("", output);
        Assert.Contains("unknown command 'status'", error, StringComparison.Ordinal);
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
