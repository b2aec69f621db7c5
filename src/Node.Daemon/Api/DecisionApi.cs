using System.Globalization;
using Grpc.Core;
using Node.Daemon.Reasoning;
using Node.Protocol.Api;
using Node.Reasoning.Decisions;
using Node.Storage;
using Node.Storage.Decisions;

namespace Node.Daemon.Api;

/// <summary><c>sovereign.api.v1.DecisionService</c>: decisions waiting for a guardian, the guardian's verdicts, and the guardian stop.</summary>
internal sealed class DecisionApi(NodeStore store, GuardianStops stops, PromotionGovernor governance, TimeProvider time)
    : DecisionService.DecisionServiceBase
{
    public override Task<ListDecisionsReply> List(ListDecisionsRequest request, ServerCallContext context)
    {
        var size = ApiArguments.PageSize("page_size", request.PageSize);
        string? status = request.All ? null : request.Status switch
        {
            DecisionStatus.Unspecified or DecisionStatus.Pending => DecisionStatuses.Pending,
            DecisionStatus.Approved => DecisionStatuses.Approved,
            DecisionStatus.Rejected => DecisionStatuses.Rejected,
            DecisionStatus.AutoApproved => DecisionStatuses.AutoApproved,
            _ => throw ApiErrors.InvalidArgument("status", $"{(int)request.Status} is not a decision status"),
        };
        (long, string)? after = null;
        if (ApiArguments.Position("page_token", request.PageToken) is { } position)
        {
            var parts = position.Split(' ', 2);
            after = parts.Length == 2 && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var at)
                ? (at, parts[1])
                : throw ApiErrors.InvalidArgument("page_token", "is not a page token this node gave out");
        }

        using var reader = store.OpenReader();
        var rows = reader.Decisions.List(status, after, size + 1);
        var reply = new ListDecisionsReply();
        reply.Decisions.Add(rows.Take(size).Select(ToApi));
        if (rows.Count > size)
        {
            var last = rows[size - 1];
            reply.NextPageToken = ApiArguments.Token(string.Create(CultureInfo.InvariantCulture, $"{last.CreatedAt} {last.Id}"));
        }

        return Task.FromResult(reply);
    }

    public override Task<Decision> Approve(GuardianVerdict request, ServerCallContext context) => DecideAsync(request, approve: true, context);

    public override Task<Decision> Reject(GuardianVerdict request, ServerCallContext context) => DecideAsync(request, approve: false, context);

    private async Task<Decision> DecideAsync(GuardianVerdict request, bool approve, ServerCallContext context)
    {
        var id = ApiArguments.Text("id", request.Id, 128);
        var reason = ApiArguments.Text("reason", request.Reason, 1024);
        var guardian = request.Guardian.Length == 0 ? CallerName.Describe(context) : ApiArguments.Text("guardian", request.Guardian, 64);
        DecisionRecord? pending;
        using (var before = store.OpenReader())
        {
            pending = before.Decisions.Find(id);
        }

        // A promotion is carried out with its verdict, in one write (the packet promoted or dropped); any other is recorded.
        var outcome = pending is not null && await governance.DecideAsync(pending, approve, guardian, reason, context.CancellationToken).ConfigureAwait(false) is not null
            ? VerdictOutcome.Decided
            : await store.Writer.WriteAsync(c => c.Decisions.Decide(id, approve, guardian, reason), context.CancellationToken).ConfigureAwait(false);
        using var reader = store.OpenReader();
        var decision = reader.Decisions.Find(id);
        return outcome switch
        {
            VerdictOutcome.NotFound => throw ApiErrors.NotFound($"No decision {id} is recorded here."),
            VerdictOutcome.NotPending => throw ApiErrors.FailedPrecondition(
                $"Decision {id} is no longer pending: it was {decision!.Status.Replace('_', '-')} by {decision.DecidedBy}."),
            _ => ToApi(decision!),
        };
    }

    public override async Task<AutomaticApproval> StopAutomatic(GuardianStopRequest request, ServerCallContext context)
    {
        var reason = ApiArguments.Text("reason", request.Reason, 1024);
        var guardian = Guardian(request, context);
        await stops.StopAutomaticApprovalAsync(guardian, reason, time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        return Automatic(stops.Matrix);
    }

    public override async Task<AutomaticApproval> ResumeAutomatic(GuardianStopRequest request, ServerCallContext context)
    {
        var reason = ApiArguments.Text("reason", request.Reason, 1024, required: false);
        var guardian = Guardian(request, context);
        await stops.ResumeAutomaticApprovalAsync(guardian, reason, context.CancellationToken).ConfigureAwait(false);
        return Automatic(stops.Matrix);
    }

    public override Task<AutomaticApproval> GetAutomatic(GetAutomaticRequest request, ServerCallContext context) =>
        Task.FromResult(Automatic(stops.Matrix));

    /// <summary>Whether automatic approval is stopped, by whom, since when and why.</summary>
    internal static AutomaticApproval Automatic(DecisionMatrix matrix)
    {
        // Three reads: a resume in between shows as not stopped, which is what the caller would see a moment later.
        var by = matrix.StoppedBy;
        var at = matrix.StoppedAt;
        var reason = matrix.StopReason;
        return by is null || at is null
            ? new AutomaticApproval()
            : new AutomaticApproval { Stopped = true, StoppedBy = by, StoppedAt = at.Value.ToUnixTimeMilliseconds(), Reason = reason ?? "" };
    }

    private static string Guardian(GuardianStopRequest request, ServerCallContext context) =>
        request.Guardian.Length == 0 ? CallerName.Describe(context) : ApiArguments.Text("guardian", request.Guardian, 64);

    private static Decision ToApi(DecisionRecord decision) => new()
    {
        Id = decision.Id,
        Type = decision.Type,
        Status = decision.Status switch
        {
            DecisionStatuses.Pending => DecisionStatus.Pending,
            DecisionStatuses.Approved => DecisionStatus.Approved,
            DecisionStatuses.Rejected => DecisionStatus.Rejected,
            DecisionStatuses.AutoApproved => DecisionStatus.AutoApproved,
            _ => DecisionStatus.Unspecified,
        },
        Confidence = decision.Confidence,
        CreatedAt = decision.CreatedAt,
        DecidedAt = decision.DecidedAt ?? 0,
        DecidedBy = decision.DecidedBy ?? "",
        Reason = decision.Reason ?? "",
        Explanation = decision.Explanation,
        Subject = decision.Subject ?? "",
    };
}
