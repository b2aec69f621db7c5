using Node.Cli.Tests.Fakes;

namespace Node.Cli.Tests;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_reads_as_text()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("status");

        Assert.Equal(0, run.Code);
        Assert.Equal(
            $"""
            node       kitchen ({FakeNode.NodeId})
            version    0.1.0, pid 2891, up 01:02:03
            store      1204 packets, 2 held, 1290 events, 2240 KiB, epoch 9f3c2a1b
              store            ok        /var/lib/sovereign-node/node.db
              critical-loops   degraded  stalled: sync

            """, run.Output);
    }

    [Fact]
    public async Task Status_json_has_the_node_its_store_with_the_epoch_and_its_subsystems()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("status", "--json")).Json();

        Assert.Equal(FakeNode.NodeId, json.GetProperty("nodeId").GetString());
        Assert.Equal("kitchen", json.GetProperty("name").GetString());
        Assert.Equal("0.1.0", json.GetProperty("version").GetString());
        Assert.Equal(3723.457, json.GetProperty("uptimeSeconds").GetDouble());
        Assert.Equal(2891, json.GetProperty("pid").GetInt32());
        Assert.Equal(8102, json.GetProperty("peerPort").GetInt32());
        Assert.Equal(new string('c', 64), json.GetProperty("certificateSha256").GetString());
        Assert.Equal(new string('m', 64), json.GetProperty("manifestSha256").GetString());
        var store = json.GetProperty("store");
        Assert.Equal((1204, 2, 1290, 2_293_760), (store.GetProperty("packets").GetInt64(), store.GetProperty("heldPackets").GetInt64(),
            store.GetProperty("events").GetInt64(), store.GetProperty("databaseBytes").GetInt64()));
        Assert.Equal("9f3c2a1b", store.GetProperty("epoch").GetString());
        var subsystems = json.GetProperty("subsystems").EnumerateArray().ToList();
        Assert.Equal(["store", "critical-loops"], subsystems.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("degraded", subsystems[1].GetProperty("state").GetString());
        Assert.Equal("stalled: sync", subsystems[1].GetProperty("detail").GetString());
    }
}
