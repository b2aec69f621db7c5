using System.Diagnostics;
using Node.Cli.Tests.Fakes;
using Node.Cli.Tests.Support;
using Node.Protocol.Packets;

namespace Node.Cli.Tests;

/// <summary>
/// The published native-AOT nodectl against the fake node: what trimming could break only shows
/// when the binary runs (parsing, protobuf, JSON, completions). Skipped when none was published.
/// </summary>
public sealed class NativeAotTests
{
    private static async Task<CliRun> RunAot(string stdin, params string[] args)
    {
        var dir = Environment.GetEnvironmentVariable("SOVEREIGN_NODE_AOT_DIR");
        Assert.SkipWhen(string.IsNullOrEmpty(dir), "No AOT binary published (scripts/test.sh publishes one and sets SOVEREIGN_NODE_AOT_DIR).");
        var start = new ProcessStartInfo(Path.Combine(dir!, "nodectl"))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliRun(process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task The_native_AOT_binary_puts_gets_and_lists_knowledge()
    {
        await using var node = await FakeNode.StartAsync();

        var put = await RunAot("{\"celsius\":21.5}", "knowledge", "put", "--topic", "weather", "--key", "kitchen", "--file", "-",
            "--kind", "observation", "--media-type", "application/json", "--json", "--socket", node.Socket);
        var id = put.Json().GetProperty("id").GetString()!;
        var get = await RunAot("", "knowledge", "get", id, "--json", "--socket", node.Socket);
        var list = await RunAot("", "knowledge", "list", "--socket", node.Socket);

        Assert.True(put.Code == 0, put.ToString());
        Assert.Equal(PacketKind.Observation, node.Knowledge.Puts.Only().Kind);
        Assert.Equal("{\"celsius\":21.5}", get.Json().GetProperty("content").GetString());
        Assert.Contains(id[..12], list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_native_AOT_binary_reads_status_and_maps_errors()
    {
        await using var node = await FakeNode.StartAsync();

        var status = await RunAot("", "status", "--json", "--socket", node.Socket);
        var notFound = await RunAot("", "apikey", "revoke", "key-9", "--socket", node.Socket);
        var usage = await RunAot("", "peers", "trust", FakePeerService.PeerId, "best-friend", "--socket", node.Socket);

        Assert.Equal("9f3c2a1b", status.Json().GetProperty("store").GetProperty("epoch").GetString());
        Assert.Equal((1, "nodectl: no api key key-9\n"), (notFound.Code, notFound.Error));
        Assert.Equal(2, usage.Code);
        Assert.Contains("TIER: 'best-friend' is not one of", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_native_AOT_binary_suggests_completions()
    {
        var run = await RunAot("", "[suggest:10]", "nodectl kn");

        Assert.Equal((0, "knowledge\n"), (run.Code, run.Output));
    }
}
