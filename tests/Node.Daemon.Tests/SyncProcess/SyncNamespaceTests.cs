using System.Globalization;
using Google.Protobuf;
using Node.Daemon.Tests.Discovery;
using Node.Protocol.Api;
using Node.Protocol.Packets;
using Node.Testing.Network;

namespace Node.Daemon.Tests.SyncProcess;

/// <summary>
/// Sync across a LAN that misbehaves: two core nodes in network namespaces, found by mDNS, linked over
/// TLS through a veth that loses frames at random and is slow, then cut apart (every frame dropped)
/// while both keep storing, then healed: they end with identical view digests within two rounds of
/// the heal. This machine's kernel has no <c>netem</c> (CONFIG_NET_SCH_NETEM is not set), so loss is
/// an nftables <c>numgen random</c> drop on both ends and slowness a <c>tbf</c> rate limit of 2 Mbit/s.
/// Every namespace, process and file goes when the test ends.
/// </summary>
public sealed class SyncNamespaceTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private static readonly string[] Args = SyncProcessKit.FastSync;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_core_nodes_under_loss_delay_and_a_partition_end_with_identical_views_within_two_rounds_of_the_heal()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var (linkA, linkB) = await lab.ConnectAsync(await lab.AddHostAsync(), await lab.AddHostAsync());
        await using var a = LabNode.Start(linkA.Host, "alpha", args: Args);
        await using var b = LabNode.Start(linkB.Host, "beta", args: Args);
        var ids = await Task.WhenAll(a.AnnouncingAsync(), b.AnnouncingAsync());
        await Task.WhenAll(a.LineAsync($"Peer {ids[1]} found by mDNS"), b.LineAsync($"Peer {ids[0]} found by mDNS"));
        await a.NodeCtlJsonAsync("peers", "trust", ids[1], "core");
        await b.NodeCtlJsonAsync("peers", "trust", ids[0], "core");

        using var channelA = Node.Cli.ApiConnection.Open(a.Socket);
        using var channelB = Node.Cli.ApiConnection.Open(b.Socket);
        var (apiA, apiB) = (new KnowledgeService.KnowledgeServiceClient(channelA), new KnowledgeService.KnowledgeServiceClient(channelB));
        var (syncA, syncB) = (new FederationService.FederationServiceClient(channelA), new FederationService.FederationServiceClient(channelB));

        // A lossy, slow LAN: 10% of frames lost each way, 2 Mbit/s, on both ends of the veth.
        foreach (var link in new[] { linkA, linkB })
        {
            await NetworkLab.RunCheckedAsync(link.Host.Namespace, "tc", "qdisc", "replace", "dev", link.Name, "root", "tbf", "rate", "2mbit", "burst", "32kbit", "latency", "400ms");
            await LossAsync(link, 10);
        }

        await PutAsync(apiA, "a", 100);
        await PutAsync(apiB, "b", 100);
        await SameViewsAsync(syncA, syncB);

        // Cut apart: everything dropped; both keep storing.
        await LossAsync(linkA, 100);
        await LossAsync(linkB, 100);
        await PutAsync(apiA, "a-cut", 60);
        await PutAsync(apiB, "b-cut", 60);
        await WaitAsync(async () => (await syncA.GetSyncStatusAsync(new GetSyncStatusRequest(), cancellationToken: Ct)).Peers.All(p => p.Link != "connected"), "A sees the link go");

        var before = await RoundsAsync(syncA, syncB);
        await LossAsync(linkA, 0);
        await LossAsync(linkB, 0);
        var (digest, count) = await SameViewsAsync(syncA, syncB);
        var after = await RoundsAsync(syncA, syncB);

        Assert.Equal(320, count);
        // Each side pulls: at most two rounds each after the heal (and the one under way when it came).
        Assert.True(after.A - before.A <= 3 && after.B - before.B <= 3, $"rounds after the heal: A {after.A - before.A}, B {after.B - before.B}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{LabNode.Kind}: identical core views ({count} packets, {digest[..16]}…), rounds after the heal A {after.A - before.A}, B {after.B - before.B}");
    }

    // Drops that share of frames at random, each way (nftables in the host's namespace: its own ruleset, gone with it).
    private static async Task LossAsync(LabInterface link, int percent)
    {
        var ns = link.Host.Namespace;
        await NetworkLab.RunCheckedAsync(ns, "nft", "add", "table", "inet", "lab");
        foreach (var (chain, hook) in new[] { ("in", "input"), ("out", "output") })
        {
            await NetworkLab.RunCheckedAsync(ns, "nft", "add", "chain", "inet", "lab", chain, $"{{ type filter hook {hook} priority 0; }}");
            await NetworkLab.RunCheckedAsync(ns, "nft", "flush", "chain", "inet", "lab", chain);
            if (percent >= 100)
            {
                await NetworkLab.RunCheckedAsync(ns, "nft", "add", "rule", "inet", "lab", chain, "oifname", "!=", "lo", "iifname", "!=", "lo", "drop");
            }
            else if (percent > 0)
            {
                await NetworkLab.RunCheckedAsync(ns, "nft", "add", "rule", "inet", "lab", chain, "oifname", "!=", "lo", "iifname", "!=", "lo",
                    "numgen", "random", "mod", "100", "<", percent.ToString(CultureInfo.InvariantCulture), "drop");
            }
        }
    }

    private static async Task PutAsync(KnowledgeService.KnowledgeServiceClient api, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await api.PutAsync(new PutKnowledgeRequest
            {
                Topic = "lan",
                Key = $"{prefix}-{i.ToString(CultureInfo.InvariantCulture)}",
                Content = ByteString.CopyFromUtf8(prefix),
                Scope = i % 2 == 0 ? ShareScope.Core : ShareScope.Shareable,
            }, cancellationToken: Ct);
        }
    }

    private static async Task<(long A, long B)> RoundsAsync(FederationService.FederationServiceClient a, FederationService.FederationServiceClient b) =>
        ((await a.GetSyncStatusAsync(new GetSyncStatusRequest(), cancellationToken: Ct)).Peers.Sum(p => p.Rounds),
         (await b.GetSyncStatusAsync(new GetSyncStatusRequest(), cancellationToken: Ct)).Peers.Sum(p => p.Rounds));

    private static async Task<(string Digest, long Count)> SameViewsAsync(FederationService.FederationServiceClient a, FederationService.FederationServiceClient b)
    {
        (string, long) same = default;
        await WaitAsync(async () =>
        {
            var (x, y) = (await a.GetSyncStatusAsync(new GetSyncStatusRequest(), cancellationToken: Ct), await b.GetSyncStatusAsync(new GetSyncStatusRequest(), cancellationToken: Ct));
            same = (x.CoreView.Digest, x.CoreView.Packets);
            return x.CoreView.Digest.Length > 0 && x.CoreView.Digest == y.CoreView.Digest;
        }, "identical core views");
        return same;
    }

    private static Task WaitAsync(Func<Task<bool>> condition, string what) => SyncProcessKit.UntilAsync(condition, what, Within);
}
