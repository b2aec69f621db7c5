using System.Globalization;
using System.Text.Json;

namespace Node.Daemon.Tests.SyncProcess;

/// <summary>
/// Three real daemons on loopback, driven with nodectl only: A and B core, B and C core, A and C
/// never introduced. A packet put on A reaches C through B (B serves what it stores: trust is not
/// transitive, data is); a LOCAL packet never leaves A; a sandbox peer's packets wait in quarantine, as a
/// promotion decision a guardian approves with nodectl;
/// a retraction on A removes the value everywhere, and C, stopped before the retraction and started
/// after it, does not bring the value back.
/// </summary>
public sealed class ThreeNodeSyncTests
{
    private const int SIGKILL = 9;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(40);

    private static readonly string[] Args = SyncProcessKit.FastSync;

    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_packet_travels_A_to_B_to_C_a_local_one_stays_a_sandbox_ones_waits_and_a_retraction_holds_after_a_restart(string kind)
    {
        using var nodes = await ProcessNodeSet.StartAsync(kind, 4, Args);
        var (a, b, c, s) = (nodes[0], nodes[1], nodes[2], nodes[3]);
        var status = await Task.WhenAll(a.JsonAsync("status"), b.JsonAsync("status"), c.JsonAsync("status"), s.JsonAsync("status"));
        var (idA, idB, idC, idS) = (Str(status[0], "nodeId"), Str(status[1], "nodeId"), Str(status[2], "nodeId"), Str(status[3], "nodeId"));
        var portC = status[2].GetProperty("peerPort").GetInt32().ToString(CultureInfo.InvariantCulture);
        await IntroduceAsync(a, status[0], b, status[1]);
        await IntroduceAsync(b, status[1], c, status[2]);
        await IntroduceAsync(s, status[3], b, status[1]);
        await Trust(a, idB, "core", b, idA, "core");
        await Trust(b, idC, "core", c, idB, "core");
        await Trust(b, idS, "sandbox", s, idB, "core");

        var shared = Str(await a.JsonAsync("knowledge", "put", "--topic", "lab", "--key", "shared", "--content", "from A", "--scope", "core"), "id");
        var local = Str(await a.JsonAsync("knowledge", "put", "--topic", "lab", "--key", "local", "--content", "A only"), "id");
        var claim = Str(await s.JsonAsync("knowledge", "put", "--topic", "lab", "--key", "claim", "--content", "from S", "--scope", "shareable"), "id");

        await UntilAsync(() => HasAsync(c, shared), "A's packet reaches C through B");
        Assert.False(await HasAsync(b, local));
        Assert.False(await HasAsync(c, local));
        await UntilAsync(async () => (await b.JsonAsync("knowledge", "list", "--quarantine")).GetProperty("packets").EnumerateArray()
            .Any(p => Str(p.GetProperty("packet"), "id") == claim), "S's packet waits in B's quarantine");
        Assert.False(await HasAsync(b, claim));
        Assert.False(await HasAsync(c, claim));
        // Governance made it a promotion decision a guardian must take (S is new: even odds, under the 0.9 threshold);
        // approved, the packet joins B's knowledge base, and B serves it to its core peer C.
        JsonElement? promotion = null;
        await UntilAsync(async () => (promotion = (await b.JsonAsync("decisions", "list", "--json")).GetProperty("decisions").EnumerateArray()
            .Cast<JsonElement?>().FirstOrDefault(d => Str(d!.Value, "subject") == claim)) is not null, "a promotion decision about S's packet on B");
        Assert.Equal(("promotion", "pending"), (Str(promotion!.Value, "type"), Str(promotion.Value, "status")));
        var approved = await b.JsonAsync("decisions", "approve", Str(promotion.Value, "id"), "--reason", "read it", "--guardian", "alice");
        Assert.Equal("approved", Str(approved, "status"));
        Assert.True(await HasAsync(b, claim));
        await UntilAsync(() => HasAsync(c, claim), "the promoted packet reaches C through B");
        // A and C never met: C knows no A, yet verified A's packet with the key B relayed.
        Assert.DoesNotContain(idA, (await c.JsonAsync("peers", "list")).GetRawText(), StringComparison.Ordinal);

        // C is stopped; A retracts; B removes the value; C comes back holding the value and must not spread it again.
        c.Process.Signal(SIGKILL);
        await a.JsonAsync("knowledge", "retract", shared);
        await UntilAsync(async () => !await HasAsync(b, shared), "the retraction reaches B");
        await c.RestartAsync("--peer-port", portC);
        await UntilAsync(async () => !await HasAsync(c, shared), "C takes the retraction after its restart");
        var synced = await b.RunAsync("federation", "sync", idC, "--audit", "--wait", "--timeout", "30s");
        Assert.True(synced.Code == 0, synced.Output + synced.Error);
        Assert.False(await HasAsync(b, shared));
        Assert.False(await HasAsync(a, shared));
        var (viewB, viewC) = (await b.JsonAsync("federation", "status"), await c.JsonAsync("federation", "status"));
        Assert.Equal(Str(viewB.GetProperty("coreView"), "digest"), Str(viewC.GetProperty("coreView"), "digest"));
    }

    private static async Task IntroduceAsync(ProcessNode x, JsonElement statusX, ProcessNode y, JsonElement statusY)
    {
        await x.JsonAsync("peers", "add", $"127.0.0.1:{statusY.GetProperty("peerPort").GetInt32()}");
        await y.JsonAsync("peers", "add", $"127.0.0.1:{statusX.GetProperty("peerPort").GetInt32()}");
        await UntilAsync(async () => (await x.JsonAsync("peers", "list")).GetRawText().Contains(Str(statusY, "nodeId"), StringComparison.Ordinal), "ids learnt");
        await UntilAsync(async () => (await y.JsonAsync("peers", "list")).GetRawText().Contains(Str(statusX, "nodeId"), StringComparison.Ordinal), "ids learnt");
    }

    private static async Task Trust(ProcessNode x, string y, string tierAtX, ProcessNode yNode, string x2, string tierAtY)
    {
        await x.JsonAsync("peers", "trust", y, tierAtX);
        await yNode.JsonAsync("peers", "trust", x2, tierAtY);
    }

    private static async Task<bool> HasAsync(ProcessNode node, string id) => (await node.RunAsync("knowledge", "get", id, "--json")).Code == 0;

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";

    private static Task UntilAsync(Func<Task<bool>> condition, string what) => SyncProcessKit.UntilAsync(condition, what, Within);
}
