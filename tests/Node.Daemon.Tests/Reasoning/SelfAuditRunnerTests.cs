using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Node.Daemon.Api;
using Node.Daemon.Reasoning;
using Node.Daemon.Tests.Support;
using Node.Reasoning.Audit;

namespace Node.Daemon.Tests.Reasoning;

/// <summary>The self-audit over a live in-process node: what a fresh node reports, and real faults it catches.</summary>
public sealed class SelfAuditRunnerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly string[] NotYetMeasurable =
        ["agents.conflict_rate", "agents.recall", "agents.reflection", "federation.manifest", "performance.calibration", "performance.latency"];

    [Fact]
    public async Task A_fresh_node_reports_24_checks_with_the_unmeasurable_ones_not_applicable()
    {
        var probe = new ServiceProbe();
        await using var node = await ApiNode.StartAsync(customize: probe.Customize);

        var report = await Runner(probe).RunAsync(Token);

        Assert.Equal(24, report.Checks.Count);
        Assert.Equal([5, 4, 4, 3, 3, 5], report.Categories.Select(c => c.Checks));
        Assert.Equal(NotYetMeasurable, Ids(report, AuditStatus.NotApplicable));
        // The node issues no signed manifest of its own until the peer listener exists: not applicable, not failed.
        Assert.Empty(Ids(report, AuditStatus.Fail));
        Assert.Equal(18, report.Checks.Count(c => c.Status == AuditStatus.Pass));
        Assert.Equal(1.0, report.PassRate);

        var api = AuditReportMapping.ToApi(report);
        Assert.Equal(24, api.Checks.Count);
        Assert.Equal(["ethics", "decision_integrity", "agent_coordination", "memory_and_state", "performance", "federation_readiness"],
            api.Categories.Select(c => c.Name));
        Assert.Equal("not_applicable", api.Checks.Single(c => c.Id == "performance.calibration").Status);
        Assert.Equal("", api.Checks.Single(c => c.Id == "memory.event_log").Recommendation);
        Assert.Empty(api.Recommendations);
    }

    [Fact]
    public async Task An_identity_key_readable_by_others_fails_the_key_file_mode_check()
    {
        var probe = new ServiceProbe();
        await using var node = await ApiNode.StartAsync(customize: probe.Customize);
        File.SetUnixFileMode(Path.Combine(node.DataDirectory, "identity.key"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var check = Check(await Runner(probe).RunAsync(Token), "federation.key_file_mode");

        Assert.Equal(AuditStatus.Fail, check.Status);
        Assert.Equal("The identity key file is mode 0644, not 0600.", check.Finding);
    }

    [Fact]
    public async Task A_changed_event_fails_the_event_log_check_naming_the_entry()
    {
        var probe = new ServiceProbe();
        await using var node = await ApiNode.StartAsync(customize: probe.Customize);
        using (var db = Connect(node))
        {
            // As someone editing node.db by hand would: drop the append-only guards, flip a byte of entry 1.
            Execute(db, "DROP TRIGGER IF EXISTS events_append_only_update; DROP TRIGGER IF EXISTS events_append_only_delete;");
            Execute(db, "UPDATE events SET payload = CAST(payload || 'x' AS BLOB) WHERE seq = 1");
        }

        var check = Check(await Runner(probe).RunAsync(Token), "memory.event_log");

        Assert.Equal(AuditStatus.Fail, check.Status);
        Assert.Equal("The event log does not verify: entry 1 does not chain.", check.Finding);
    }

    [Fact]
    public async Task A_decision_without_an_explanation_fails_the_explanations_check()
    {
        var probe = new ServiceProbe();
        await using var node = await ApiNode.StartAsync(customize: probe.Customize);
        InsertDecision(node, "d-unexplained", "auto_approved", TimeProvider.System.GetUtcNow(), explanation: []);

        var check = Check(await Runner(probe).RunAsync(Token), "ethics.explanations");

        Assert.Equal(AuditStatus.Fail, check.Status);
        Assert.Equal("1 decisions have no explanation: d-unexplained.", check.Finding);
    }

    [Fact]
    public async Task A_decision_pending_for_more_than_a_day_fails_the_escalation_wait_check()
    {
        var probe = new ServiceProbe();
        await using var node = await ApiNode.StartAsync(customize: probe.Customize);
        InsertDecision(node, "d-waiting", "pending", TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(25),
            """{"findings":[{"kind":"trend"}],"stages":[{"stage":"perceive"}]}"""u8.ToArray());

        var report = await Runner(probe).RunAsync(Token);

        var check = Check(report, "integrity.escalation_wait");
        Assert.Equal(AuditStatus.Fail, check.Status);
        Assert.StartsWith("1 escalations have waited longer than 1.00:00:00: d-waiting (waiting 1.01:00:", check.Finding, StringComparison.Ordinal);
        // Its explanation has two steps: only the waiting is wrong with it.
        Assert.Equal(AuditStatus.Pass, Check(report, "ethics.explanations").Status);
    }

    [Theory]
    [InlineData("""{"findings":[{"kind":"trend"},{"kind":"atr_risk"}],"stages":[{"stage":"perceive"},{}]}""", 3)]
    [InlineData("""{"claim":"trend"}""", 0)]
    [InlineData("not json", 0)]
    [InlineData("", 0)]
    public void Explanation_steps_are_the_non_empty_findings_and_stages(string explanation, int steps) =>
        Assert.Equal(steps, SelfAuditRunner.ExplanationSteps(explanation));

    private static SelfAuditRunner Runner(ServiceProbe probe) => probe.Services.GetRequiredService<SelfAuditRunner>();

    private static AuditCheckResult Check(AuditReport report, string id) => report.Checks.Single(c => c.Id == id);

    private static string[] Ids(AuditReport report, AuditStatus status) =>
        [.. report.Checks.Where(c => c.Status == status).Select(c => c.Id).Order(StringComparer.Ordinal)];

    private static SqliteConnection Connect(ApiNode node)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(node.DataDirectory, "node.db"),
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        db.Open();
        return db;
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void InsertDecision(ApiNode node, string id, string status, DateTimeOffset createdAt, byte[] explanation)
    {
        using var db = Connect(node);
        using var insert = db.CreateCommand();
        insert.CommandText = """
            INSERT INTO decisions (id, type, status, confidence, created_at, decided_at, decided_by, reason, explanation)
            VALUES ($id, 'rollback', $status, 0.9, $at, $decided, $by, 'test', $explanation)
            """;
        var decided = status != "pending";
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$status", status);
        insert.Parameters.AddWithValue("$at", createdAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$decided", decided ? createdAt.ToUnixTimeMilliseconds() : DBNull.Value);
        insert.Parameters.AddWithValue("$by", decided ? "auto" : DBNull.Value);
        insert.Parameters.AddWithValue("$explanation", explanation);
        insert.ExecuteNonQuery();
    }
}
