using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Node.Daemon.Reasoning;
using Node.Daemon.Replay;
using Node.Protocol.Api;
using Node.Reasoning;
using Node.Reasoning.Decisions;
using Node.Reasoning.Findings;
using Node.Reasoning.Pipeline;
using ApiBar = Node.Protocol.Api.Bar;
using ApiConclusion = Node.Protocol.Api.Conclusion;
using ApiFinding = Node.Protocol.Api.Finding;
using ApiReasonerStatus = Node.Protocol.Api.ReasonerStatus;

namespace Node.Daemon.Api;

/// <summary>
/// <c>sovereign.api.v1.ReasoningService</c>: bars in, what the pipeline made of each out, in order; the pipeline's status;
/// the self-audit.
/// </summary>
internal sealed class ReasoningApi(ReasoningHost host, SelfAuditRunner audit, IHostApplicationLifetime lifetime) : ReasoningService.ReasoningServiceBase
{
    public override async Task<Protocol.Api.AuditReport> Audit(AuditRequest request, ServerCallContext context)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        return AuditReportMapping.ToApi(await audit.RunAsync(stop.Token).ConfigureAwait(false));
    }

    /// <summary>Most bytes of a subject.</summary>
    public const int MaxSubjectBytes = 128;

    public override async Task Observe(IAsyncStreamReader<ObserveRequest> requestStream, IServerStreamWriter<ObserveReply> responseStream,
        ServerCallContext context)
    {
        // The reasoning loop stops with the node: a bar waiting for it then ends the call (UNAVAILABLE), not hangs.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var cancellation = stop.Token;
        while (await requestStream.MoveNext(cancellation).ConfigureAwait(false))
        {
            var request = requestStream.Current;
            var subject = ApiArguments.Text("subject", request.Subject, MaxSubjectBytes);
            var bar = request.Bar ?? throw ApiErrors.InvalidArgument("bar", "is required");
            var result = await host.ObserveBarAsync(subject, ToBar(bar), cancellation).ConfigureAwait(false);
            await responseStream.WriteAsync(ToApi(subject, bar.Time, result), cancellation).ConfigureAwait(false);
        }
    }

    public override async Task<ReasoningStatus> GetStatus(GetReasoningStatusRequest request, ServerCallContext context)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var status = await host.GetStatusAsync(stop.Token).ConfigureAwait(false);
        var reply = new ReasoningStatus
        {
            Depth = ReasoningNames.Of(status.Depth),
            Cycles = status.Cycles,
            Rejected = status.Rejected,
            Subjects = status.Subjects,
            Conclusions = status.Conclusions,
            Conflicts = status.Conflicts,
            Decisions = status.Decisions,
            Latency = new ObservationLatency
            {
                Observations = status.Latency.Observations,
                MeanUs = Finite(status.Latency.MeanMicroseconds),
                P50Us = Finite(status.Latency.P50Microseconds),
                P99Us = Finite(status.Latency.P99Microseconds),
                MaxUs = Finite(status.Latency.MaxMicroseconds),
            },
            Calibration = new CalibrationStatus
            {
                Outcomes = status.Calibration.Outcomes,
                Held = status.Calibration.Held,
                Brier = Finite(status.Calibration.Brier),
                BaseRateBrier = Finite(status.Calibration.BaseRateBrier),
                Ece = Finite(status.Calibration.ExpectedCalibrationError),
                Method = status.Calibration.Method,
                Reflections = status.Calibration.Reflections,
            },
            Automatic = DecisionApi.Automatic(host.Matrix),
        };
        reply.Reasoners.Add(status.Reasoners.Select(r => new ApiReasonerStatus
        {
            Name = ReasoningNames.Of(r.Reasoner),
            Runs = r.Runs,
            Findings = r.Findings,
            MeanConfidence = Finite(r.MeanConfidence),
            MeanLatencyUs = Finite(r.MeanLatencyMicroseconds),
            LastRunAt = r.LastRunAt?.ToUnixTimeMilliseconds() ?? 0,
        }));
        return reply;
    }

    private static Node.Reasoning.Observations.Bar ToBar(ApiBar bar) => new(bar.Time, bar.Open, bar.High, bar.Low, bar.Close, bar.Volume);

    private static ObserveReply ToApi(string subject, long time, BarResult result)
    {
        var reply = new ObserveReply { Subject = subject, Time = time };
        if (result.Problem != ObservationProblem.None)
        {
            reply.Rejected = ReasoningNames.Of(result.Problem);
        }

        Span<double> values = stackalloc double[ReasoningJson.FeatureCount];
        ReasoningJson.GetFeatures(result.Features, values);
        var names = ReasoningJson.FeatureNames;
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsFinite(values[i]))
            {
                reply.Features[names[i]] = values[i];
            }
        }

        foreach (var finding in result.Findings)
        {
            reply.Findings.Add(new ApiFinding
            {
                Reasoner = ReasoningNames.Of(finding.Reasoner),
                Kind = ReasoningNames.Of(finding.Kind),
                Direction = finding.Direction,
                Confidence = Finite(finding.Confidence),
                Level = Finite(finding.Level),
                Evidence = Finite(finding.Evidence),
                Resource = finding.Resource == Resource.None ? "" : ReasoningNames.Of(finding.Resource),
            });
        }

        if (result.Conclusion is { HasClaim: true } conclusion)
        {
            var made = new ApiConclusion
            {
                Claim = ReasoningNames.Of(conclusion.Claim),
                Direction = conclusion.Direction,
                Confidence = Finite(conclusion.Confidence),
                Score = Finite(conclusion.Score),
                Conflict = conclusion.Conflict,
                DecisionType = conclusion.DecisionType ?? "",
            };
            var stageNames = StageConfidences.Names;
            for (var i = 0; i < StageConfidences.Count; i++)
            {
                if (double.IsFinite(conclusion.Stages[i]))
                {
                    made.Stages[stageNames[i]] = conclusion.Stages[i];
                }
            }

            reply.Conclusion = made;
        }

        if (result.DecisionId is { } id && result.Verdict is { } verdict)
        {
            reply.DecisionId = id;
            reply.Verdict = verdict.Outcome == DecisionOutcome.AutoApproved ? "auto_approved" : "escalated";
        }

        return reply;
    }

    // Proto doubles carry no NaN by the API's word: "no value yet" is 0, as api.proto says of each field.
    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
