using Grpc.Core;
using Node.Cli.Tests.Fakes;
using Node.Protocol.Api;

namespace Node.Cli.Tests;

public sealed class IdentityCommandTests
{
    private const string OlderId = "AB2CDEF-GHIJKLM-NOPQRST-UVWXYZ2";

    private static NodeIdentityInfo Rotated() => new()
    {
        NodeId = FakeNode.NodeId,
        PublicKey = new string('a', 64),
        Rotations = { new KeyRotationInfo { OldNodeId = OlderId, NewNodeId = FakeNode.NodeId, RequestedAt = 1_796_000_000_000, AppliedAt = 1_796_000_060_000 } },
        Pending = new KeyRotationInfo { OldNodeId = FakeNode.NodeId, NewNodeId = FakeNode.NewNodeId, RequestedAt = 1_796_100_000_000 },
    };

    [Fact]
    public async Task Show_of_a_node_that_never_rotated_names_its_id_and_key()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("identity", "show");

        Assert.Equal((0, $"node id     {FakeNode.NodeId}\npublic key  {new string('a', 64)}\nrotations   none\n", ""), (run.Code, run.Output, run.Error));
    }

    [Fact]
    public async Task Show_lists_the_rotations_that_led_here_and_the_one_waiting()
    {
        await using var node = await FakeNode.StartAsync();
        node.Node.Identity = Rotated();

        var run = await node.Run("identity", "show");

        Assert.Equal(
            $"""
            node id     {FakeNode.NodeId}
            public key  {new string('a', 64)}
            rotations   1 (peers are sent the newest 4)
              {OlderId} -> {FakeNode.NodeId}  asked 2026-11-30 00:53:20Z, applied 2026-11-30 00:54:20Z
            pending     {FakeNode.NodeId} -> {FakeNode.NewNodeId}  asked 2026-12-01 04:40:00Z; takes effect when the node next starts

            """, run.Output);
    }

    [Fact]
    public async Task Show_json_has_stable_names_and_null_when_nothing_waits()
    {
        await using var node = await FakeNode.StartAsync();

        var plain = (await node.Run("identity", "show", "--json")).Json();
        node.Node.Identity = Rotated();
        var rotated = (await node.Run("identity", "show", "--json")).Json();

        Assert.Equal((FakeNode.NodeId, new string('a', 64), 0, System.Text.Json.JsonValueKind.Null),
            (plain.GetProperty("nodeId").GetString(), plain.GetProperty("publicKey").GetString(), plain.GetProperty("rotations").GetArrayLength(),
                plain.GetProperty("pending").ValueKind));
        var first = rotated.GetProperty("rotations")[0];
        Assert.Equal((OlderId, FakeNode.NodeId, 1_796_000_000_000L, 1_796_000_060_000L),
            (first.GetProperty("oldNodeId").GetString(), first.GetProperty("newNodeId").GetString(), first.GetProperty("requestedAt").GetInt64(),
                first.GetProperty("appliedAt").GetInt64()));
        var pending = rotated.GetProperty("pending");
        Assert.Equal((FakeNode.NewNodeId, 0L), (pending.GetProperty("newNodeId").GetString(), pending.GetProperty("appliedAt").GetInt64()));
    }

    [Fact]
    public async Task Rotate_says_both_ids_and_that_it_takes_effect_at_the_next_start()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("identity", "rotate");

        Assert.Equal((0, ""), (run.Code, run.Error));
        Assert.StartsWith($"key rotation asked for: node {FakeNode.NodeId} becomes {FakeNode.NewNodeId} when it next starts.\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("Restart the node to apply it", run.Output, StringComparison.Ordinal);
        node.Node.Rotations.Only();
    }

    [Fact]
    public async Task Rotate_json_has_both_ids_and_when_it_takes_effect()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("identity", "rotate", "--json")).Json();

        Assert.Equal((FakeNode.NodeId, FakeNode.NewNodeId, 1_796_000_000_000L, "next-start"),
            (json.GetProperty("oldNodeId").GetString(), json.GetProperty("newNodeId").GetString(), json.GetProperty("requestedAt").GetInt64(),
                json.GetProperty("takesEffect").GetString()));
    }

    [Fact]
    public async Task A_second_rotate_while_one_waits_exits_1_with_the_nodes_reason()
    {
        await using var node = await FakeNode.StartAsync();
        await node.Run("identity", "rotate");

        var run = await node.Run("identity", "rotate");

        Assert.Equal((NodeCtl.Error, ""), (run.Code, run.Output));
        Assert.StartsWith($"nodectl: A key rotation of {FakeNode.NodeId} to {FakeNode.NewNodeId} is pending", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_without_the_admin_scope_says_so()
    {
        await using var node = await FakeNode.StartAsync();
        node.Refusal = new Status(StatusCode.PermissionDenied, "NodeService/RotateIdentity needs the admin scope; this key has read");

        var run = await node.Run("identity", "rotate");

        Assert.Equal(NodeCtl.Error, run.Code);
        Assert.Contains("needs the admin scope", run.Error, StringComparison.Ordinal);
    }
}
