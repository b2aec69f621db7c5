using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>
/// ReasoningService that concludes on every third bar (a breakout up at 0.75, a publish decision auto-approved) and
/// rejects a bar whose high is below its low; GetStatus answers a fixed status.
/// </summary>
public sealed class FakeReasoningService : ReasoningService.ReasoningServiceBase
{
    public Recorder<ObserveRequest> Observed { get; } = new();

    public AutomaticApproval Automatic { get; set; } = new();

    public override async Task Observe(IAsyncStreamReader<ObserveRequest> requestStream, IServerStreamWriter<ObserveReply> responseStream,
        ServerCallContext context)
    {
        var n = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            Observed.Add(request);
            var reply = new ObserveReply { Subject = request.Subject, Time = request.Bar.Time };
            if (request.Bar.High < request.Bar.Low)
            {
                reply.Rejected = "high_below_low";
            }
            else if (++n % 3 == 0)
            {
                reply.Features["atr14"] = 12.5;
                reply.Findings.Add(new Finding { Reasoner = "kyle", Kind = "breakout_up", Direction = 1, Confidence = 0.8, Level = 100, Evidence = 0.9 });
                reply.Conclusion = new Conclusion { Claim = "breakout_up", Direction = 1, Confidence = 0.75, Score = 1.1, DecisionType = "publish" };
                reply.Conclusion.Stages["analyze"] = 0.8;
                reply.DecisionId = $"dec-{n}";
                reply.Verdict = "auto_approved";
            }

            await responseStream.WriteAsync(reply, context.CancellationToken);
        }
    }

    public override Task<ReasoningStatus> GetStatus(GetReasoningStatusRequest request, ServerCallContext context) => Task.FromResult(new ReasoningStatus
    {
        Depth = "moderate",
        Cycles = 5105,
        Rejected = 2,
        Subjects = 1,
        Conclusions = 812,
        Conflicts = 3,
        Decisions = 140,
        Reasoners =
        {
            new ReasonerStatus { Name = "kyle", Runs = 5105, Findings = 2210, MeanConfidence = 0.6123, MeanLatencyUs = 3.25, LastRunAt = FakeKnowledgeService.Epoch },
            new ReasonerStatus { Name = "kenny", Runs = 0 },
        },
        Latency = new ObservationLatency { Observations = 5105, MeanUs = 9.5, P50Us = 8.25, P99Us = 31, MaxUs = 120 },
        Calibration = new CalibrationStatus { Outcomes = 790, Held = 410, Brier = 0.2231, BaseRateBrier = 0.2490, Ece = 0.0312, Method = "platt", Reflections = 51 },
        Automatic = Automatic,
    });
}
