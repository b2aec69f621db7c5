using System.Net.Sockets;
using Grpc.Core;
using Node.Cli.Tests.Fakes;
using Node.Cli.Tests.Support;

namespace Node.Cli.Tests;

/// <summary>How nodectl reports a node it cannot reach, and one that refuses.</summary>
public sealed class ConnectionTests
{
    [Theory]
    [InlineData("status")]
    [InlineData("knowledge", "list")]
    [InlineData("backup", "create", "/tmp/b.db")]
    public async Task No_socket_exits_3_naming_the_socket_and_how_to_start_the_node(params string[] command)
    {
        using var dir = new TempDirectory();
        var socket = dir.Combine("api.sock");

        var run = await CliRunner.Run([.. command, "--socket", socket]);

        Assert.Equal(NodeCtl.Unreachable, run.Code);
        Assert.Equal("", run.Output);
        Assert.Contains($"nodectl: no node socket at {socket}. Is the node running?", run.Error, StringComparison.Ordinal);
        Assert.Contains("systemctl start sovereign-node", run.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Node.Daemon", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_nobody_listens_on_exits_3_naming_it()
    {
        using var dir = new TempDirectory();
        var socket = dir.Combine("api.sock");
        // Bound, never listening: connecting is refused. (Kept open: .NET removes the file on dispose.)
        using var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        dead.Bind(new UnixDomainSocketEndPoint(socket));

        var run = await CliRunner.Run("status", "--json", "--socket", socket);

        Assert.Equal(NodeCtl.Unreachable, run.Code);
        Assert.Contains($"nodectl: cannot reach the node at {socket} (Connection refused)", run.Error, StringComparison.Ordinal);
        Assert.Contains("systemctl start sovereign-node", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("apikey", "create", "--scope", "admin")]
    [InlineData("log", "tail", "--follow")]
    public async Task A_node_that_refuses_exits_1_with_its_message(params string[] command)
    {
        await using var node = await FakeNode.StartAsync();
        node.Refusal = new Status(StatusCode.PermissionDenied, "this call needs the admin scope");

        var run = await node.Run(command);

        Assert.Equal(NodeCtl.Error, run.Code);
        Assert.Equal("", run.Output);
        Assert.Equal("nodectl: this call needs the admin scope\n", run.Error);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, NodeCtl.Unreachable, "cannot reach the node at")]
    [InlineData(StatusCode.DeadlineExceeded, NodeCtl.Unreachable, "cannot reach the node at")]
    [InlineData(StatusCode.InvalidArgument, NodeCtl.Error, "nodectl: topic: must not be empty")]
    [InlineData(StatusCode.NotFound, NodeCtl.Error, "nodectl: topic: must not be empty")]
    [InlineData(StatusCode.FailedPrecondition, NodeCtl.Error, "nodectl: topic: must not be empty")]
    [InlineData(StatusCode.Unimplemented, NodeCtl.Error, "nodectl: the node does not offer this call")]
    [InlineData(StatusCode.Internal, NodeCtl.Error, "nodectl: the node refused: Internal: topic: must not be empty")]
    public async Task Each_gRPC_status_maps_to_one_exit_code(StatusCode status, int code, string message)
    {
        await using var node = await FakeNode.StartAsync();
        node.Refusal = new Status(status, "topic: must not be empty");

        var run = await node.Run("status");

        Assert.Equal(code, run.Code);
        Assert.StartsWith(message.StartsWith("nodectl", StringComparison.Ordinal) ? message : $"nodectl: {message}", run.Error, StringComparison.Ordinal);
    }
}
