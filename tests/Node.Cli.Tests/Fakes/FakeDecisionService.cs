using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>DecisionService over a list, two decisions a page (so nodectl has pages to follow).</summary>
public sealed class FakeDecisionService : DecisionService.DecisionServiceBase
{
    private readonly Lock _lock = new();

    public List<Decision> Decisions { get; } =
    [
        new Decision { Id = "d-4", Type = "scaling", Status = DecisionStatus.Pending, Confidence = 0.62, CreatedAt = FakeKnowledgeService.Epoch + 4000, Explanation = """{"threshold":0.85}""", Subject = "node" },
        new Decision { Id = "d-3", Type = "rollback", Status = DecisionStatus.AutoApproved, Confidence = 0.91, CreatedAt = FakeKnowledgeService.Epoch + 3000, DecidedAt = FakeKnowledgeService.Epoch + 3001, DecidedBy = "auto" },
        new Decision { Id = "d-2", Type = "deployment", Status = DecisionStatus.Pending, Confidence = 0.5, CreatedAt = FakeKnowledgeService.Epoch + 2000 },
        new Decision { Id = "d-1", Type = "deployment", Status = DecisionStatus.Rejected, Confidence = 0.4, CreatedAt = FakeKnowledgeService.Epoch + 1000, DecidedAt = FakeKnowledgeService.Epoch + 1500, DecidedBy = "ada", Reason = "not tonight" },
        new Decision { Id = "d-0", Type = "promotion", Status = DecisionStatus.Pending, Confidence = 0.5, CreatedAt = FakeKnowledgeService.Epoch, Subject = PromotedPacket },
    ];

    /// <summary>The packet the pending promotion decision d-0 is about.</summary>
    public const string PromotedPacket = "5e1f0c2a9b7d4e3f8a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f";

    public Recorder<ListDecisionsRequest> Lists { get; } = new();
    public Recorder<GuardianVerdict> Approvals { get; } = new();
    public Recorder<GuardianVerdict> Rejections { get; } = new();

    public override Task<ListDecisionsReply> List(ListDecisionsRequest request, ServerCallContext context)
    {
        Lists.Add(request);
        lock (_lock)
        {
            var status = request.Status == DecisionStatus.Unspecified ? DecisionStatus.Pending : request.Status;
            var matching = Decisions.Where(d => request.All || d.Status == status).ToList();
            var start = request.PageToken.Length > 0 ? int.Parse(request.PageToken, System.Globalization.CultureInfo.InvariantCulture) : 0;
            return Task.FromResult(new ListDecisionsReply
            {
                Decisions = { matching.Skip(start).Take(2) },
                NextPageToken = start + 2 < matching.Count ? (start + 2).ToString(System.Globalization.CultureInfo.InvariantCulture) : "",
            });
        }
    }

    public override Task<Decision> Approve(GuardianVerdict request, ServerCallContext context)
    {
        Approvals.Add(request);
        return Task.FromResult(Decide(request, DecisionStatus.Approved));
    }

    public override Task<Decision> Reject(GuardianVerdict request, ServerCallContext context)
    {
        Rejections.Add(request);
        return Task.FromResult(Decide(request, DecisionStatus.Rejected));
    }

    public Recorder<GuardianStopRequest> Stops { get; } = new();
    public Recorder<GuardianStopRequest> Resumes { get; } = new();
    public AutomaticApproval Automatic { get; private set; } = new();

    public override Task<AutomaticApproval> StopAutomatic(GuardianStopRequest request, ServerCallContext context)
    {
        Stops.Add(request);
        Automatic = new AutomaticApproval
        {
            Stopped = true, StoppedBy = request.Guardian.Length > 0 ? request.Guardian : "operator", StoppedAt = FakeKnowledgeService.Epoch, Reason = request.Reason,
        };
        return Task.FromResult(Automatic);
    }

    public override Task<AutomaticApproval> ResumeAutomatic(GuardianStopRequest request, ServerCallContext context)
    {
        Resumes.Add(request);
        Automatic = new AutomaticApproval();
        return Task.FromResult(Automatic);
    }

    private Decision Decide(GuardianVerdict verdict, DecisionStatus status)
    {
        lock (_lock)
        {
            var decision = Decisions.FirstOrDefault(d => d.Id == verdict.Id)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"no decision {verdict.Id}"));
            if (decision.Status != DecisionStatus.Pending)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"decision {verdict.Id} is no longer pending"));
            }

            decision.Status = status;
            decision.Reason = verdict.Reason;
            decision.DecidedBy = verdict.Guardian.Length > 0 ? verdict.Guardian : "operator";
            decision.DecidedAt = FakeKnowledgeService.Epoch + 9000;
            return decision;
        }
    }
}
