using Grpc.Core;
using Node.Cli.Tests.Fakes;
using Node.Protocol.Api;

namespace Node.Cli.Tests;

public sealed class FederationCommandTests
{
    [Fact]
    public async Task Discover_waits_two_seconds_by_default_and_prints_a_table_of_who_answered()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("federation", "discover");

        Assert.Equal(0, run.Code);
        Assert.Equal(2000, node.Federation.Discovers.Only().TimeoutMs);
        Assert.Equal(
            $"""
            NODE ID                          INTERFACE  ADDRESSES                             HOST                     LAST SEEN
            {FakePeerService.PeerId}  eth0       192.168.1.20:8102, [fe80::20%2]:8102  sovereign-abcdefg.local  2026-11-24 13:21:37Z

            """, run.Output);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5000)]
    [InlineData("1.5s", 1500)]
    [InlineData("30s", 30_000)]
    public async Task Discover_timeout_is_sent_in_milliseconds(string timeout, int expected)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("federation", "discover", "--timeout", timeout);

        Assert.Equal(0, run.Code);
        Assert.Equal(expected, node.Federation.Discovers.Only().TimeoutMs);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("50ms")]
    [InlineData("31s")]
    [InlineData("soon")]
    public async Task Discover_refuses_a_timeout_it_cannot_read_or_the_node_would_refuse(string timeout)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("federation", "discover", "--timeout", timeout);

        Assert.Equal(2, run.Code);
        Assert.Contains($"--timeout: '{timeout}' is not a duration from 100ms to 30s (such as 2s or 500ms).", run.Error, StringComparison.Ordinal);
        Assert.Empty(node.Federation.Discovers.All);
    }

    [Fact]
    public async Task Discover_says_when_no_node_answered()
    {
        await using var node = await FakeNode.StartAsync();
        node.Federation.Discovery = new DiscoverReply { QueriedAt = FakeKnowledgeService.Epoch };

        var run = await node.Run("federation", "discover", "--timeout", "500ms");

        Assert.Equal("no node answered within 500ms\n", run.Output);
    }

    [Fact]
    public async Task Discover_json_has_every_field_of_every_answer()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("federation", "discover", "--json")).Json();

        Assert.Equal(FakeKnowledgeService.Epoch, json.GetProperty("queriedAt").GetInt64());
        var peer = Assert.Single(json.GetProperty("peers").EnumerateArray());
        Assert.Equal(FakePeerService.PeerId, peer.GetProperty("nodeId").GetString());
        Assert.Equal($"{FakePeerService.PeerId}._sovereign._tcp.local", peer.GetProperty("instance").GetString());
        Assert.Equal("sovereign-abcdefg.local", peer.GetProperty("host").GetString());
        Assert.Equal(8102, peer.GetProperty("port").GetInt32());
        Assert.Equal(["192.168.1.20:8102", "[fe80::20%2]:8102"], peer.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("1", peer.GetProperty("txt").GetProperty("proto").GetString());
        Assert.Equal("eth0", peer.GetProperty("interface").GetString());
        Assert.Equal(FakeKnowledgeService.Epoch + 1_000, peer.GetProperty("lastSeenAt").GetInt64());
    }

    [Fact]
    public async Task Discover_with_discovery_off_reports_the_nodes_reason()
    {
        await using var node = await FakeNode.StartAsync();
        node.Refusal = new Status(StatusCode.FailedPrecondition, "discovery is off (Federation:Discovery:Enabled=false)");

        var run = await node.Run("federation", "discover");

        Assert.Equal(1, run.Code);
        Assert.Contains("discovery is off (Federation:Discovery:Enabled=false)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnose_prints_the_names_a_line_per_interface_and_the_hints()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("federation", "diagnose");

        Assert.Equal(0, run.Code);
        Assert.Equal(
            $"""
            discovery: on
            instance:  {FakeNode.NodeId}._sovereign._tcp.local
            host:      sovereign-gcqtisu.local
            services:  1 resolved

            INTERFACE  INDEX  IPV4    IPV6    STATE      SENT  RECEIVED  SEND ERRORS  CONFLICTS  LAST ERROR
            eth0       2      joined  joined  announced  12    40        0            0          -
            wlan0      3      joined  -       announced  12    0         0            0          -

            hint: no multicast traffic seen on wlan0: check the firewall allows UDP 5353 and the switch passes multicast

            """, run.Output);
    }

    [Fact]
    public async Task Diagnose_with_discovery_off_says_so()
    {
        await using var node = await FakeNode.StartAsync();
        node.Federation.Diagnosis = new DiagnoseReply { Hints = { "discovery is off (Federation:Discovery:Enabled=false): peers are found only when added" } };

        var run = await node.Run("federation", "diagnose");

        Assert.Equal("discovery: off\n\nhint: discovery is off (Federation:Discovery:Enabled=false): peers are found only when added\n", run.Output);
    }

    [Fact]
    public async Task Diagnose_json_has_the_links_and_hints()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("federation", "diagnose", "--json")).Json();

        Assert.True(json.GetProperty("enabled").GetBoolean());
        Assert.True(json.GetProperty("running").GetBoolean());
        Assert.Equal("sovereign-gcqtisu.local", json.GetProperty("hostName").GetString());
        var links = json.GetProperty("links").EnumerateArray().ToList();
        Assert.Equal(["eth0", "wlan0"], links.Select(l => l.GetProperty("name").GetString()));
        Assert.Equal(40, links[0].GetProperty("packetsReceived").GetInt64());
        Assert.False(links[1].GetProperty("joinedIpv6").GetBoolean());
        Assert.Equal("announced", links[1].GetProperty("state").GetString());
        Assert.Single(json.GetProperty("hints").EnumerateArray());
    }
}
