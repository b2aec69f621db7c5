using System.Text.Json;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>
/// DecisionService over the real socket of an in-process node. The reasoning pipeline that writes
/// decisions is not built yet, so the tests write rows into the store while the node is stopped.
/// </summary>
public sealed class DecisionApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed record Row(string Id, string Status, long CreatedAt, string Type = "scaling");

    // Five pending (two created at the same time: the id breaks the tie), one approved, one auto-approved.
    private static readonly Row[] Rows =
    [
        new("d-1", "pending", 1_000), new("d-2", "pending", 2_000), new("d-3a", "pending", 3_000), new("d-3b", "pending", 3_000),
        new("d-4", "pending", 4_000), new("d-5", "approved", 5_000), new("d-6", "auto_approved", 6_000, "rollback"),
    ];

    private static readonly string[] PendingNewestFirst = ["d-4", "d-3b", "d-3a", "d-2", "d-1"];

    /// <summary>A node whose store holds <see cref="Rows"/>.</summary>
    private static async Task<ApiNode> StartWithDecisionsAsync()
    {
        var first = await ApiNode.StartAsync();
        try
        {
            return await first.RestartAsync(directory =>
            {
                Insert(Path.Combine(directory, ".node", "node.db"), Rows);
                return Task.CompletedTask;
            });
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private static void Insert(string database, IEnumerable<Row> rows)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var row in rows)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO decisions (id, type, status, confidence, created_at, decided_at, decided_by, reason, explanation)
                VALUES ($id, $type, $status, 0.42, $at, $decided, $by, $reason, $explanation)
                """;
            var decided = row.Status != "pending";
            insert.Parameters.AddWithValue("$id", row.Id);
            insert.Parameters.AddWithValue("$type", row.Type);
            insert.Parameters.AddWithValue("$status", row.Status);
            insert.Parameters.AddWithValue("$at", row.CreatedAt);
            insert.Parameters.AddWithValue("$decided", decided ? row.CreatedAt + 1 : DBNull.Value);
            insert.Parameters.AddWithValue("$by", decided ? (row.Status == "auto_approved" ? "auto" : "ada") : DBNull.Value);
            insert.Parameters.AddWithValue("$reason", decided ? "fine" : DBNull.Value);
            insert.Parameters.AddWithValue("$explanation", System.Text.Encoding.UTF8.GetBytes($$"""{"threshold":0.8,"for":"{{row.Id}}"}"""));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static async Task<RpcException> Refused<T>(Func<AsyncUnaryCall<T>> call) =>
        await Assert.ThrowsAsync<RpcException>(() => call().ResponseAsync);

    [Fact]
    public async Task List_gives_the_pending_decisions_newest_first_by_default()
    {
        await using var node = await StartWithDecisionsAsync();
        var client = new DecisionService.DecisionServiceClient(node.Channel);

        var pending = await client.ListAsync(new ListDecisionsRequest(), cancellationToken: Token);
        var all = await client.ListAsync(new ListDecisionsRequest { All = true }, cancellationToken: Token);
        var auto = await client.ListAsync(new ListDecisionsRequest { Status = DecisionStatus.AutoApproved }, cancellationToken: Token);

        Assert.Equal(PendingNewestFirst, pending.Decisions.Select(d => d.Id));
        Assert.All(pending.Decisions, d => Assert.Equal(DecisionStatus.Pending, d.Status));
        Assert.Equal("", pending.NextPageToken);
        var d4 = pending.Decisions[0];
        Assert.Equal(("scaling", 0.42, 4_000L, 0L, "", ""), (d4.Type, d4.Confidence, d4.CreatedAt, d4.DecidedAt, d4.DecidedBy, d4.Reason));
        Assert.Equal("d-4", JsonDocument.Parse(d4.Explanation).RootElement.GetProperty("for").GetString());
        Assert.Equal(["d-6", "d-5", .. PendingNewestFirst], all.Decisions.Select(d => d.Id));
        var d6 = Assert.Single(auto.Decisions);
        Assert.Equal(("d-6", "rollback", "auto", 6_001L), (d6.Id, d6.Type, d6.DecidedBy, d6.DecidedAt));
    }

    [Fact]
    public async Task List_pages_with_page_tokens_through_equal_creation_times()
    {
        await using var node = await StartWithDecisionsAsync();
        var client = new DecisionService.DecisionServiceClient(node.Channel);

        var seen = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await client.ListAsync(new ListDecisionsRequest { PageSize = 2, PageToken = token }, cancellationToken: Token);
            Assert.InRange(page.Decisions.Count, 1, 2);
            seen.AddRange(page.Decisions.Select(d => d.Id));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(PendingNewestFirst, seen);
        Assert.Equal(3, pages);
        var forged = await Refused(() => client.ListAsync(new ListDecisionsRequest { PageToken = "not-a-token" }, cancellationToken: Token));
        Assert.Equal(StatusCode.InvalidArgument, forged.StatusCode);
        Assert.StartsWith("page_token: ", forged.Status.Detail, StringComparison.Ordinal);
        var tooBig = await Refused(() => client.ListAsync(new ListDecisionsRequest { PageSize = 1001 }, cancellationToken: Token));
        Assert.StartsWith("page_size: ", tooBig.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_verdict_records_the_reason_and_guardian_with_an_event_and_cannot_be_given_twice(bool approve)
    {
        await using var node = await StartWithDecisionsAsync();
        var client = new DecisionService.DecisionServiceClient(node.Channel);
        var verdict = new GuardianVerdict { Id = "d-2", Reason = "the load is real", Guardian = "ada" };
        Task<Decision> Decide(GuardianVerdict v) => approve ? client.ApproveAsync(v, cancellationToken: Token).ResponseAsync
            : client.RejectAsync(v, cancellationToken: Token).ResponseAsync;

        var decided = await Decide(verdict);
        var second = await Assert.ThrowsAsync<RpcException>(() => Decide(new GuardianVerdict { Id = "d-2", Reason = "again" }));

        var status = approve ? DecisionStatus.Approved : DecisionStatus.Rejected;
        Assert.Equal(("d-2", status, "ada", "the load is real"), (decided.Id, decided.Status, decided.DecidedBy, decided.Reason));
        Assert.True(decided.DecidedAt > 0);
        var stored = (await client.ListAsync(new ListDecisionsRequest { Status = status }, cancellationToken: Token)).Decisions;
        Assert.Equal(decided, Assert.Single(stored, d => d.Id == "d-2"));
        Assert.DoesNotContain("d-2", (await client.ListAsync(new ListDecisionsRequest(), cancellationToken: Token)).Decisions.Select(d => d.Id));

        using var tail = new LogService.LogServiceClient(node.Channel).Tail(new TailLogRequest { Last = 1 }, cancellationToken: Token);
        var entry = Assert.Single(await tail.ResponseStream.ReadAllAsync(Token).ToListAsync(Token));
        Assert.Equal("decision.decided", entry.Kind);
        using var payload = JsonDocument.Parse(entry.Payload);
        Assert.Equal("d-2", payload.RootElement.GetProperty("id").GetString());
        Assert.Equal(approve ? "approved" : "rejected", payload.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("ada", payload.RootElement.GetProperty("guardian").GetString());
        Assert.Equal("the load is real", payload.RootElement.GetProperty("reason").GetString());

        Assert.Equal(StatusCode.FailedPrecondition, second.StatusCode);
        Assert.Contains("d-2", second.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("ada", second.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decided_decision_unknown_id_and_empty_reason_are_refused()
    {
        await using var node = await StartWithDecisionsAsync();
        var client = new DecisionService.DecisionServiceClient(node.Channel);

        var decided = await Refused(() => client.RejectAsync(new GuardianVerdict { Id = "d-6", Reason = "too late" }, cancellationToken: Token));
        var unknown = await Refused(() => client.ApproveAsync(new GuardianVerdict { Id = "d-99", Reason = "why not" }, cancellationToken: Token));
        var noReason = await Refused(() => client.ApproveAsync(new GuardianVerdict { Id = "d-1", Reason = " " }, cancellationToken: Token));

        Assert.Equal(StatusCode.FailedPrecondition, decided.StatusCode);
        Assert.Contains("auto-approved by auto", decided.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("d-99", unknown.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, noReason.StatusCode);
        Assert.StartsWith("reason: ", noReason.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(PendingNewestFirst, (await client.ListAsync(new ListDecisionsRequest(), cancellationToken: Token)).Decisions.Select(d => d.Id));
    }
}
