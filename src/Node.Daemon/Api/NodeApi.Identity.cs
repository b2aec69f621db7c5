// NodeService's identity calls: the id and its rotations, and a rotation asked for.
using System.Diagnostics;
using Grpc.Core;
using Node.Federation.Identity;
using Node.Protocol.Api;
using Node.Storage.Identity;

namespace Node.Daemon.Api;

internal sealed partial class NodeApi
{
    public override Task<NodeIdentityInfo> GetIdentity(GetIdentityRequest request, ServerCallContext context)
    {
        var reply = new NodeIdentityInfo
        {
            NodeId = identity.Identity.Id.ToString(),
            PublicKey = Convert.ToHexStringLower(identity.Identity.PublicKey),
        };
        reply.Rotations.Add(rotation.History().Select(Info));
        if (rotation.Pending() is { } pending)
        {
            reply.Pending = Info(pending);
        }

        return Task.FromResult(reply);
    }

    public override async Task<RotateIdentityReply> RotateIdentity(RotateIdentityRequest request, ServerCallContext context)
    {
        var result = await rotation.RequestAsync(CallerName.Describe(context), context.CancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            RotationRequestOutcome.Pending => new RotateIdentityReply
            {
                OldNodeId = result.Old.ToString(),
                NewNodeId = result.New.ToString(),
                RequestedAt = result.RequestedAt,
            },
            RotationRequestOutcome.AlreadyPending => throw ApiErrors.FailedPrecondition(
                $"A key rotation of {result.Old} to {result.New} is pending (asked for at {DateTimeOffset.FromUnixTimeMilliseconds(result.RequestedAt):yyyy-MM-ddTHH:mm:ssZ}); " +
                "it takes effect when the node next starts (restart it: systemctl restart sovereign-node). Only one rotation may wait at a time."),
            _ => throw new UnreachableException($"Unhandled outcome {result.Outcome}."),
        };
    }

    private static KeyRotationInfo Info(OwnRotationRow row) => new()
    {
        OldNodeId = row.OldId,
        NewNodeId = row.NewId,
        RequestedAt = row.CreatedAt,
        AppliedAt = row.AppliedAt ?? 0,
    };
}
