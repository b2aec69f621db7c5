using System.Text.Json;
using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>The guardian stop (DecisionService.StopAutomatic/ResumeAutomatic/GetAutomatic) over the real socket, across a restart.</summary>
public sealed class GuardianStopTests
{
    // The default threshold of "publish", the decision type conclusions on market bars ask for.
    private const double PublishThreshold = 0.6;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stop_escalates_confident_decisions_outlives_a_restart_and_resume_lifts_it()
    {
        var first = await ApiNode.StartAsync();
        ApiNode? node = null;
        try
        {
            var decisions = new DecisionService.DecisionServiceClient(first.Channel);
            var initially = await decisions.GetAutomaticAsync(new GetAutomaticRequest(), cancellationToken: Token);
            var stopped = await decisions.StopAutomaticAsync(new GuardianStopRequest { Reason = "market data under review", Guardian = "ada" },
                cancellationToken: Token);
            var again = await decisions.StopAutomaticAsync(new GuardianStopRequest { Reason = "a second stop", Guardian = "bob" }, cancellationToken: Token);

            Assert.False(initially.Stopped);
            Assert.Equal((true, "ada", "market data under review"), (stopped.Stopped, stopped.StoppedBy, stopped.Reason));
            Assert.True(stopped.StoppedAt > 0);
            Assert.Equal(stopped, again); // idempotent: the first stop stands

            var replies = await ReasoningApiTests.ObserveAsync(first, "sp500", ApiBars.First(400));
            var decided = replies.Where(r => r.DecisionId.Length > 0).ToList();
            Assert.NotEmpty(decided);
            Assert.All(decided, r => Assert.Equal("escalated", r.Verdict));
            Assert.Contains(decided, r => r.Conclusion.Confidence >= PublishThreshold);
            var recorded = await ReasoningApiTests.RecordedAsync(first, [.. decided.Select(r => r.DecisionId)]);
            Assert.All(recorded, d => Assert.Equal(DecisionStatus.Pending, d.Status));
            var confident = recorded.First(d => d.Confidence >= PublishThreshold);
            using (var explanation = JsonDocument.Parse(confident.Explanation))
            {
                Assert.Contains("stopped by a guardian", explanation.RootElement.GetProperty("verdict").GetProperty("reason").GetString(),
                    StringComparison.Ordinal);
            }

            node = await first.RestartAsync();
            decisions = new DecisionService.DecisionServiceClient(node.Channel);
            var afterRestart = await decisions.GetAutomaticAsync(new GetAutomaticRequest(), cancellationToken: Token);
            var status = await new ReasoningService.ReasoningServiceClient(node.Channel).GetStatusAsync(new GetReasoningStatusRequest(), cancellationToken: Token);
            Assert.Equal(stopped, afterRestart);
            Assert.Equal(stopped, status.Automatic);
            var stillStopped = await ReasoningApiTests.ObserveAsync(node, "sp500-again", ApiBars.First(400));
            Assert.All(stillStopped.Where(r => r.DecisionId.Length > 0), r => Assert.Equal("escalated", r.Verdict));

            var resumed = await decisions.ResumeAutomaticAsync(new GuardianStopRequest { Guardian = "ada", Reason = "reviewed" }, cancellationToken: Token);
            var resumedAgain = await decisions.ResumeAutomaticAsync(new GuardianStopRequest(), cancellationToken: Token);
            Assert.Equal(new AutomaticApproval(), resumed);
            Assert.Equal(new AutomaticApproval(), resumedAgain);
            var log = new LogService.LogServiceClient(node.Channel);
            using var tail = log.Tail(new TailLogRequest { Last = 10_000 }, cancellationToken: Token);
            var events = await tail.ResponseStream.ReadAllAsync(Token).Where(e => e.Kind.StartsWith("decision.automatic_", StringComparison.Ordinal))
                .ToListAsync(Token);
            Assert.Equal(["decision.automatic_stopped", "decision.automatic_resumed"], events.Select(e => e.Kind));
            using var payload = JsonDocument.Parse(events[0].Payload);
            Assert.Equal("ada", payload.RootElement.GetProperty("guardian").GetString());
            Assert.Equal("market data under review", payload.RootElement.GetProperty("reason").GetString());

            // The learnt state is dropped on this restart, so confidences are as on the first run (which had confident ones).
            var second = node;
            node = await second.RestartAsync(directory =>
            {
                using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, ".node", "node.db")};Pooling=false");
                db.Open();
                using var forget = db.CreateCommand();
                forget.CommandText = "DELETE FROM memory WHERE kind = 'reasoning.state'";
                forget.ExecuteNonQuery();
                return Task.CompletedTask;
            });
            await second.DisposeAsync();
            var afterSecondRestart = await new DecisionService.DecisionServiceClient(node.Channel).GetAutomaticAsync(new GetAutomaticRequest(),
                cancellationToken: Token);
            Assert.False(afterSecondRestart.Stopped);

            // Resumed: a decision at or over the threshold is approved automatically again, one under it still waits.
            var running = (await ReasoningApiTests.ObserveAsync(node, "sp500", ApiBars.First(400))).Where(r => r.DecisionId.Length > 0).ToList();
            Assert.Contains(running, r => r.Verdict == "auto_approved");
            Assert.All(running, r => Assert.Equal(r.Conclusion.Confidence >= PublishThreshold ? "auto_approved" : "escalated", r.Verdict));
        }
        finally
        {
            // A node restarted is handed over: disposing it then only lets go of what it still holds.
            if (node is not null)
            {
                await node.DisposeAsync();
            }

            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stop_needs_a_reason_and_defaults_the_guardian_to_the_caller()
    {
        await using var node = await ApiNode.StartAsync();
        var decisions = new DecisionService.DecisionServiceClient(node.Channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() => decisions.StopAutomaticAsync(new GuardianStopRequest(), cancellationToken: Token).ResponseAsync);
        var stopped = await decisions.StopAutomaticAsync(new GuardianStopRequest { Reason = "maintenance" }, cancellationToken: Token);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("reason: must not be empty", refused.Status.Detail);
        Assert.Equal(Environment.UserName, stopped.StoppedBy);
    }
}
