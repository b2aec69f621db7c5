using System.Globalization;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Node.Protocol.Api;
using Node.Protocol.Packets;

namespace Node.Daemon.Tests.SyncProcess;

/// <summary>
/// The receiving node of a sync killed (SIGKILL) in the middle of transfers, again and again at
/// seeded random moments, while the sender keeps storing packets: after every restart its cursor into
/// the sender never runs ahead of what it stored, and in the end it holds exactly what the sender serves.
/// </summary>
public sealed class SyncCrashTests
{
    private const int SIGKILL = 9;
    private const int Kills = 20;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private static readonly string[] Args = [.. SyncProcessKit.FastSync, "--set", "Federation:Sync:CatchUpInterval=00:00:01"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_receiver_killed_twenty_times_mid_transfer_loses_nothing_and_never_has_a_cursor_ahead_of_its_store(string kind)
    {
        using var nodes = await ProcessNodeSet.StartAsync(kind, 2, Args);
        var (a, b) = (nodes[0], nodes[1]);
        var (statusA, statusB) = (await a.JsonAsync("status"), await b.JsonAsync("status"));
        var (idA, idB) = (statusA.GetProperty("nodeId").GetString()!, statusB.GetProperty("nodeId").GetString()!);
        var portB = statusB.GetProperty("peerPort").GetInt32().ToString(CultureInfo.InvariantCulture);
        await a.JsonAsync("peers", "add", $"127.0.0.1:{statusB.GetProperty("peerPort").GetInt32()}");
        await b.JsonAsync("peers", "add", $"127.0.0.1:{statusA.GetProperty("peerPort").GetInt32()}");
        await WaitAsync(async () => (await a.JsonAsync("peers", "list")).GetRawText().Contains(idB, StringComparison.Ordinal), "A learns B's id");
        await WaitAsync(async () => (await b.JsonAsync("peers", "list")).GetRawText().Contains(idA, StringComparison.Ordinal), "B learns A's id");
        await a.JsonAsync("peers", "trust", idB, "core");
        await b.JsonAsync("peers", "trust", idA, "core");

        using var apiA = Node.Cli.ApiConnection.Open(a.Socket);
        var knowledgeA = new KnowledgeService.KnowledgeServiceClient(apiA);
        var random = new Random(17);
        var put = 0;
        async Task PutAsync(int count)
        {
            for (var i = 0; i < count; i++, put++)
            {
                await knowledgeA.PutAsync(new PutKnowledgeRequest
                {
                    Topic = "crash",
                    Key = put.ToString(CultureInfo.InvariantCulture),
                    Content = ByteString.CopyFrom(new byte[1024]),
                    Scope = put % 7 == 0 ? ShareScope.Local : ShareScope.Core,
                }, cancellationToken: Ct);
            }
        }

        await PutAsync(2000);
        for (var kill = 0; kill < Kills; kill++)
        {
            // New packets keep arriving on A while B is killed at a random moment of its catching up.
            var putting = PutAsync(300);
            await Task.Delay(random.Next(50, 600), Ct);
            b.Process.Signal(SIGKILL);
            await putting;
            await b.RestartAsync("--peer-port", portB);
            CursorIsNotAheadOfTheStore(b, idA, await ServedAsync(knowledgeA));
        }

        var served = await ServedAsync(knowledgeA);
        using var apiB = Node.Cli.ApiConnection.Open(b.Socket);
        await WaitAsync(async () => (await IdsAsync(new KnowledgeService.KnowledgeServiceClient(apiB), "crash")).SetEquals(served.Values), "B holds what A serves");
        CursorIsNotAheadOfTheStore(b, idA, served);
        var verified = await b.RunAsync("log", "verify");
        Assert.True(verified.Code == 0, verified.Output + verified.Error);
        TestContext.Current.TestOutputHelper?.WriteLine($"{kind}: {put} packets put, {Kills} kills of the receiver, {served.Count} served and received");
    }

    // A's packets in B's view (CORE here), by A's receive sequence.
    private static async Task<SortedDictionary<long, string>> ServedAsync(KnowledgeService.KnowledgeServiceClient client)
    {
        var served = new SortedDictionary<long, string>();
        var token = "";
        do
        {
            var page = await client.ListAsync(new ListKnowledgeRequest { Topic = "crash", PageSize = 1000, PageToken = token }, cancellationToken: Ct);
            foreach (var packet in page.Packets.Where(p => p.Scope != ShareScope.Local))
            {
                served[packet.Seq] = packet.Id;
            }

            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return served;
    }

    private static async Task<HashSet<string>> IdsAsync(KnowledgeService.KnowledgeServiceClient client, string topic)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var token = "";
        do
        {
            var page = await client.ListAsync(new ListKnowledgeRequest { Topic = topic, PageSize = 1000, PageToken = token }, cancellationToken: Ct);
            ids.UnionWith(page.Packets.Select(p => p.Id));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return ids;
    }

    // Read straight from B's database (WAL: a reader beside the running node): the cursor first, then what is stored.
    private static void CursorIsNotAheadOfTheStore(ProcessNode b, string peer, SortedDictionary<long, string> served)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(b.DataDirectory, "node.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        db.Open();
        using var transaction = db.BeginTransaction();
        using var cursor = db.CreateCommand();
        cursor.CommandText = "SELECT seq FROM sync_cursors WHERE peer = $peer";
        cursor.Parameters.AddWithValue("$peer", peer);
        if (cursor.ExecuteScalar() is not long seq)
        {
            return;
        }

        using var stored = db.CreateCommand();
        stored.CommandText = "SELECT lower(hex(id)) FROM packets";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using (var rows = stored.ExecuteReader())
        {
            while (rows.Read())
            {
                ids.Add(rows.GetString(0));
            }
        }

        var missing = served.Where(p => p.Key <= seq && !ids.Contains(p.Value)).ToList();
        Assert.True(missing.Count == 0, $"B's cursor into A is at {seq}, but {missing.Count} of A's packets up to it are not stored on B (first: seq {missing.FirstOrDefault().Key})");
    }

    private static Task WaitAsync(Func<Task<bool>> condition, string what) => SyncProcessKit.UntilAsync(condition, what, Within);
}
