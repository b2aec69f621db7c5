using System.Text.Json;
using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>ReasoningService over the real socket of an in-process node, with real S&amp;P 500 bars.</summary>
public sealed class ReasoningApiTests
{
    private static readonly string[] FeatureNames =
    [
        "atr14", "bb20_upper", "bb20_middle", "bb20_lower", "bb20_bandwidth", "bandwidth_pct126", "obv", "mfi14", "rsi14",
        "donchian20_high", "donchian20_low", "donchian55_high", "donchian55_low", "return_z60", "volume_pct20",
    ];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Streams <paramref name="bars"/> of <paramref name="subject"/> in one Observe call; the replies, in order.</summary>
    internal static async Task<List<ObserveReply>> ObserveAsync(ApiNode node, string subject, IEnumerable<Bar> bars)
    {
        var client = new ReasoningService.ReasoningServiceClient(node.Channel);
        using var call = client.Observe(cancellationToken: Token);
        var sending = Task.Run(async () =>
        {
            foreach (var bar in bars)
            {
                await call.RequestStream.WriteAsync(new ObserveRequest { Subject = subject, Bar = bar }, Token);
            }

            await call.RequestStream.CompleteAsync();
        }, Token);
        var replies = new List<ObserveReply>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync(Token))
        {
            replies.Add(reply);
        }

        await sending;
        return replies;
    }

    /// <summary>The decisions with <paramref name="ids"/>, once the recorder has stored every one of them.</summary>
    internal static async Task<List<Decision>> RecordedAsync(ApiNode node, IReadOnlyCollection<string> ids)
    {
        // The recorder writes each decision's row with its decision.made event: follow the log until all are in.
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(Token))
        {
            waiting.CancelAfter(TimeSpan.FromSeconds(30));
            var pending = new HashSet<string>(ids);
            using var tail = new LogService.LogServiceClient(node.Channel)
                .Tail(new TailLogRequest { Last = 10_000, Follow = true }, cancellationToken: waiting.Token);
            await foreach (var entry in tail.ResponseStream.ReadAllAsync(waiting.Token))
            {
                if (entry.Kind == "decision.made")
                {
                    using var payload = System.Text.Json.JsonDocument.Parse(entry.Payload);
                    pending.Remove(payload.RootElement.GetProperty("id").GetString()!);
                    if (pending.Count == 0)
                    {
                        break;
                    }
                }
            }
        }

        var client = new DecisionService.DecisionServiceClient(node.Channel);
        var found = new List<Decision>();
        var request = new ListDecisionsRequest { All = true, PageSize = 1000 };
        ListDecisionsReply page;
        do
        {
            page = await client.ListAsync(request, cancellationToken: Token);
            found.AddRange(page.Decisions.Where(d => ids.Contains(d.Id)));
            request.PageToken = page.NextPageToken;
        }
        while (page.NextPageToken.Length > 0);

        Assert.Equal(ids.Count, found.Count);
        return found;
    }

    [Fact]
    public async Task Observe_answers_every_bar_in_order_with_features_conclusions_and_recorded_decisions()
    {
        await using var node = await ApiNode.StartAsync();
        var bars = ApiBars.First(400);

        var replies = await ObserveAsync(node, "sp500", bars);

        Assert.Equal(bars.Select(b => b.Time), replies.Select(r => r.Time));
        Assert.All(replies, r => Assert.Equal(("sp500", ""), (r.Subject, r.Rejected)));
        Assert.DoesNotContain("atr14", replies[0].Features.Keys);
        Assert.Equal(FeatureNames.Order(StringComparer.Ordinal), replies[^1].Features.Keys.Order(StringComparer.Ordinal));
        Assert.All(replies.SelectMany(r => r.Features.Values), v => Assert.True(double.IsFinite(v)));
        var concluded = replies.Where(r => r.Conclusion is not null).ToList();
        Assert.NotEmpty(concluded);
        Assert.All(concluded, r =>
        {
            Assert.InRange(r.Conclusion.Confidence, 0, 1);
            Assert.NotEmpty(r.Conclusion.Claim);
            Assert.NotEmpty(r.Findings);
        });
        Assert.All(replies.Take(10), r => Assert.Null(r.Conclusion)); // warm-up: the stages abstain

        var decided = replies.Where(r => r.DecisionId.Length > 0).ToList();
        Assert.NotEmpty(decided);
        Assert.All(decided, r => Assert.Contains(r.Verdict, new[] { "auto_approved", "escalated" }));
        var decisions = await RecordedAsync(node, [.. decided.Select(r => r.DecisionId)]);
        foreach (var reply in decided)
        {
            var decision = decisions.Single(d => d.Id == reply.DecisionId);
            Assert.Equal(reply.Conclusion.DecisionType, decision.Type);
            Assert.Equal(reply.Conclusion.Confidence, decision.Confidence, 9);
            Assert.Equal(reply.Verdict == "auto_approved" ? DecisionStatus.AutoApproved : DecisionStatus.Pending, decision.Status);
            using var explanation = JsonDocument.Parse(decision.Explanation);
            var root = explanation.RootElement;
            Assert.Equal("sp500", root.GetProperty("subject").GetString());
            Assert.Equal(reply.Conclusion.Claim, root.GetProperty("claim").GetString());
            var stages = root.GetProperty("stages").EnumerateArray().ToList();
            Assert.Equal(["perceive", "analyze", "baseline", "recall", "validate"], stages.Select(s => s.GetProperty("stage").GetString()));
            Assert.All(stages, s => Assert.Equal(JsonValueKind.Number, s.GetProperty("weight").ValueKind));
            Assert.Equal(reply.Verdict, root.GetProperty("verdict").GetProperty("outcome").GetString());
        }
    }

    [Fact]
    public async Task A_bar_the_pipeline_rejects_comes_back_rejected_and_the_stream_goes_on()
    {
        await using var node = await ApiNode.StartAsync();
        var bars = ApiBars.First(60).ToList();
        var bad = bars[30].Clone();
        (bad.High, bad.Low) = (bad.Low - 1, bad.High + 1);
        bars[30] = bad;

        var replies = await ObserveAsync(node, "sp500", bars);

        Assert.Equal(60, replies.Count);
        Assert.Equal("high_below_low", replies[30].Rejected);
        Assert.Null(replies[30].Conclusion);
        Assert.Empty(replies[30].DecisionId);
        Assert.All(replies.Where((_, i) => i != 30), r => Assert.Equal("", r.Rejected));
        Assert.Equal(bars[31].Time, replies[31].Time);
    }

    [Theory]
    [InlineData("", true, "subject: must not be empty")]
    [InlineData("sp500", false, "bar: is required")]
    public async Task A_bad_request_ends_the_call_with_invalid_argument_naming_the_field(string subject, bool withBar, string message)
    {
        await using var node = await ApiNode.StartAsync();
        var client = new ReasoningService.ReasoningServiceClient(node.Channel);
        using var call = client.Observe(cancellationToken: Token);
        var good = ApiBars.First(1)[0];

        await call.RequestStream.WriteAsync(new ObserveRequest { Subject = "sp500", Bar = good }, Token);
        Assert.True(await call.ResponseStream.MoveNext(Token));
        await call.RequestStream.WriteAsync(new ObserveRequest { Subject = subject, Bar = withBar ? good : null }, Token);
        var refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Token));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(message, refused.Status.Detail);
    }

    [Fact]
    public async Task Status_counts_cycles_subjects_reasoners_and_latency_without_nan()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new ReasoningService.ReasoningServiceClient(node.Channel);
        var before = await client.GetStatusAsync(new GetReasoningStatusRequest(), cancellationToken: Token);
        var bars = ApiBars.First(150);

        var replies = (await ObserveAsync(node, "a", bars)).Concat(await ObserveAsync(node, "b", bars)).ToList();
        var status = await client.GetStatusAsync(new GetReasoningStatusRequest(), cancellationToken: Token);

        Assert.Equal(0, before.Latency.Observations);
        Assert.Contains(before.Depth, new[] { "shallow", "moderate", "deep" });
        Assert.Equal(300, status.Latency.Observations);
        Assert.InRange(status.Cycles, 300, 310);
        Assert.InRange(status.Subjects, 2, 3);
        Assert.Equal(0, status.Rejected);
        Assert.True(status.Conclusions >= replies.Count(r => r.Conclusion is not null));
        Assert.True(status.Latency.P50Us > 0 && status.Latency.P50Us <= status.Latency.P99Us && status.Latency.P99Us <= status.Latency.MaxUs * 1.1);
        Assert.Equal(["kyle", "joey", "kenny", "aletheia", "id"], status.Reasoners.Select(r => r.Name));
        var kyle = status.Reasoners[0];
        Assert.True(kyle.Runs >= 300, $"kyle ran {kyle.Runs} times");
        Assert.True(kyle.LastRunAt > 0);
        Assert.All(status.Reasoners, r =>
        {
            Assert.True(double.IsFinite(r.MeanConfidence) && double.IsFinite(r.MeanLatencyUs));
            Assert.InRange(r.MeanConfidence, 0, 1);
        });
        Assert.True(double.IsFinite(status.Calibration.Brier) && double.IsFinite(status.Calibration.Ece));
        Assert.False(status.Automatic.Stopped);
    }
}
