using System.Text.Json;
using Grpc.Core;
using Node.Cli.Tests.Fakes;
using Node.Protocol.Api;
using Node.Protocol.Packets;

namespace Node.Cli.Tests;

/// <summary>
/// What a peer or a user wrote reaches a terminal through nodectl: in text output every control
/// character shows as <c>\x</c> and two hex digits, so none can move the cursor, recolour, ring
/// or rewrite a line; content keeps its newlines and tabs (a one-line field does not).
/// <c>--json</c> escapes them its own way.
/// </summary>
public sealed class ControlCharacterTests
{
    // ESC [2J (clear the screen), ESC ]0;…BEL (retitle the window), backspaces, a CR that overwrites the line, DEL, CSI as one C1 character.
    private const string Hostile = "ok\u001b[2J\u001b]0;pwned\u0007\b\b\rfake\u007f\u009b31m";
    private const string Shown = @"ok\x1b[2J\x1b]0;pwned\x07\x08\x08\x0dfake\x7f\x9b31m";

    private static void AssertNoControlCharacterButLines(string text) =>
        Assert.DoesNotContain(text, c => char.IsControl(c) && c is not ('\n' or '\t'));

    [Fact]
    public async Task Knowledge_get_escapes_them_in_the_header_and_the_content_and_keeps_the_content_lines()
    {
        await using var node = await FakeNode.StartAsync();
        var packet = node.Knowledge.Add("weather" + Hostile, "kitchen", "line one\tcell\n" + Hostile + "\nline three");

        var run = await node.Run("knowledge", "get", packet.Id);

        Assert.Equal(0, run.Code);
        AssertNoControlCharacterButLines(run.Output);
        Assert.Contains($"topic       weather{Shown}\n", run.Output, StringComparison.Ordinal);
        Assert.EndsWith($"\n\nline one\tcell\n{Shown}\nline three\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Knowledge_list_and_watch_escape_them_and_a_newline_in_a_cell()
    {
        await using var node = await FakeNode.StartAsync();
        node.Knowledge.Add("t\n" + Hostile, "k", "x");

        var run = await node.Run("knowledge", "list");

        AssertNoControlCharacterButLines(run.Output);
        Assert.Equal(2, run.Lines.Count);
        Assert.Contains($"t\\x0a{Shown}", run.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_tail_escapes_a_payload()
    {
        await using var node = await FakeNode.StartAsync();
        node.Log.Append("note", Hostile);

        var run = await node.Run("log", "tail", "-n", "1");

        AssertNoControlCharacterButLines(run.Output);
        Assert.EndsWith($"  {Shown}\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peers_list_and_add_escape_a_peer_name()
    {
        await using var node = await FakeNode.StartAsync();
        node.Peers.Peers[0].Name = Hostile;

        var list = await node.Run("peers", "list");
        var add = await node.Run("peers", "add", "192.168.1.30:8102", "--name", "shed" + Hostile);

        AssertNoControlCharacterButLines(list.Output + add.Output);
        Assert.Contains(Shown, list.Lines[1], StringComparison.Ordinal);
        Assert.Equal($"added peer shed{Shown} (192.168.1.30:8102)\n", add.Output);
    }

    [Fact]
    public async Task Status_escapes_a_subsystems_detail_and_an_error_escapes_what_the_node_said()
    {
        await using var node = await FakeNode.StartAsync();
        node.Node.Status.Subsystems.Add(new Subsystem { Name = "discovery", State = "ok", Detail = Hostile });
        var status = await node.Run("status");
        node.Refusal = new Status(StatusCode.NotFound, "No packet " + Hostile);

        var refused = await node.Run("knowledge", "get", new string('a', 64));

        AssertNoControlCharacterButLines(status.Output);
        Assert.Contains(Shown, status.Output, StringComparison.Ordinal);
        Assert.Equal(1, refused.Code);
        Assert.Equal($"nodectl: No packet {Shown}\n", refused.Error);
    }

    [Fact]
    public async Task Json_output_escapes_them_itself_and_reads_back_exactly()
    {
        await using var node = await FakeNode.StartAsync();
        var packet = node.Knowledge.Add("t" + Hostile, "k", Hostile);

        var run = await node.Run("knowledge", "get", packet.Id, "--json");

        Assert.DoesNotContain(run.Output.TrimEnd('\n'), char.IsControl);
        Assert.Contains(@"\u001B[2J", run.Output, StringComparison.OrdinalIgnoreCase);
        var json = run.Json();
        Assert.Equal(("t" + Hostile, Hostile), (json.GetProperty("topic").GetString(), json.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task Json_lists_escape_them_too()
    {
        await using var node = await FakeNode.StartAsync();
        node.Knowledge.Add(Hostile, "k", Hostile, PacketKind.Observation);

        var run = await node.Run("knowledge", "list", "--json");

        Assert.DoesNotContain(run.Output.TrimEnd('\n'), char.IsControl);
        Assert.Equal(Hostile, run.Json().GetProperty("packets")[0].GetProperty("topic").GetString());
        Assert.Equal(JsonValueKind.Object, run.Json().ValueKind);
    }
}
