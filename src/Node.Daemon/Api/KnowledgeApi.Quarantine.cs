using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Node.Federation.Packets;
using Node.Protocol.Api;
using Node.Protocol.Packets;
using Node.Storage.Packets;
using Held = Node.Storage.Sync.QuarantinedPacket;
using VerdictOutcome = Node.Federation.Sync.VerdictOutcome;

namespace Node.Daemon.Api;

/// <summary>KnowledgeService's retraction of this node's packets, and the quarantine of sandbox peers' packets.</summary>
internal sealed partial class KnowledgeApi
{
    /// <summary>Longest reason a guardian may give for a promotion or a rejection, in UTF-8 bytes.</summary>
    public const int MaxReasonBytes = 1024;

    public override async Task<PutKnowledgeReply> Retract(RetractRequest request, ServerCallContext context)
    {
        var id = ApiArguments.PacketId("id", request.Id);
        var hex = Convert.ToHexStringLower(id);
        using (var reader = store.OpenReader())
        {
            if (reader.Packets.ById(id) is null)
            {
                throw reader.Sync.IsRetracted(id) ? ApiErrors.NotFound($"Packet {hex} was retracted; it is no longer stored here.")
                    : reader.Packets.CorruptReason(id) is { } corrupt ? ApiErrors.FailedPrecondition(
                        $"Packet {hex} is stored here but marked corrupt ({corrupt}): its author cannot be read from it, so it cannot be retracted.")
                    : ApiErrors.NotFound($"No packet {hex} is stored here.");
            }
        }

        var (result, refusal) = await local.RetractAsync(id, clock.Now().Value, context.CancellationToken).ConfigureAwait(false);
        return result switch
        {
            null => throw ApiErrors.FailedPrecondition($"Packet {hex} cannot be retracted: {refusal}."),
            { Outcome: IntakeOutcome.Stored or IntakeOutcome.Duplicate or IntakeOutcome.Repaired } => new PutKnowledgeReply
            {
                Id = Convert.ToHexStringLower(result.Check.Packet!.Id),
                Seq = result.Seq ?? 0,
                Created = result.Outcome == IntakeOutcome.Stored,
            },
            _ => throw ApiErrors.FailedPrecondition($"The retraction of {hex} was refused ({result.Outcome}): {result.Check.Detail ?? "no detail"}."),
        };
    }

    public override Task<ListQuarantineReply> ListQuarantine(ListQuarantineRequest request, ServerCallContext context)
    {
        var size = ApiArguments.PageSize("page_size", request.PageSize);
        var (afterAt, afterId) = (long.MinValue, (byte[]?)null);
        if (ApiArguments.Position("page_token", request.PageToken) is { } position)
        {
            var parts = position.Split(' ', 2);
            (afterAt, afterId) = parts.Length == 2 && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var at)
                && parts[1].Length == 64 && parts[1].All(char.IsAsciiHexDigit)
                ? (at, Convert.FromHexString(parts[1]))
                : throw ApiErrors.InvalidArgument("page_token", "is not a page token this node gave out");
        }

        IReadOnlyList<Held> rows;
        using (var reader = store.OpenReader())
        {
            rows = reader.Sync.Quarantined(size + 1, afterAt, afterId);
        }

        var reply = new ListQuarantineReply();
        reply.Packets.Add(rows.Take(size).Select(ToApi));
        if (rows.Count > size)
        {
            var last = rows[size - 1];
            reply.NextPageToken = ApiArguments.Token(string.Create(CultureInfo.InvariantCulture, $"{last.ReceivedAt} {Convert.ToHexStringLower(last.Id)}"));
        }

        return Task.FromResult(reply);
    }

    public override async Task<KnowledgePacket> Promote(QuarantineVerdict request, ServerCallContext context)
    {
        var (id, hex, reason) = Verdict(request);
        var verdict = await desk.PromoteAsync(id, CallerName.Describe(context), reason, context.CancellationToken).ConfigureAwait(false);
        switch (verdict.Outcome)
        {
            case VerdictOutcome.NotInQuarantine:
                throw NotInQuarantine(hex);
            case VerdictOutcome.Retracted:
                throw ApiErrors.FailedPrecondition($"Packet {hex} was retracted by its author meanwhile: it was dropped from quarantine, not promoted.");
            case VerdictOutcome.Invalid:
                throw ApiErrors.FailedPrecondition($"Packet {hex} cannot be promoted ({verdict.Detail}); it stays in quarantine.");
        }

        StoredPacket? stored;
        using (var reader = store.OpenReader())
        {
            stored = reader.Packets.ById(id);
        }

        // Stored: as Get reads it. Held until its dependencies arrive: as it was in quarantine, seq 0 (not stored yet).
        return stored is not null && await scrub.ServeAsync([stored], context.CancellationToken).ConfigureAwait(false) is [var served]
            ? ToApi(served)
            : ToApi(verdict.Packet!).Packet;
    }

    public override async Task<Protocol.Api.QuarantinedPacket> Reject(QuarantineVerdict request, ServerCallContext context)
    {
        var (id, hex, reason) = Verdict(request);
        var verdict = await desk.RejectAsync(id, CallerName.Describe(context), reason, context.CancellationToken).ConfigureAwait(false);
        return verdict.Outcome == VerdictOutcome.Done ? ToApi(verdict.Packet!) : throw NotInQuarantine(hex);
    }

    private static (byte[] Id, string Hex, string? Reason) Verdict(QuarantineVerdict request)
    {
        var id = ApiArguments.PacketId("id", request.Id);
        var reason = ApiArguments.Text("reason", request.Reason, MaxReasonBytes, required: false);
        return (id, Convert.ToHexStringLower(id), string.IsNullOrWhiteSpace(reason) ? null : reason);
    }

    private static RpcException NotInQuarantine(string hex) =>
        ApiErrors.NotFound($"Packet {hex} is not in quarantine (see 'nodectl knowledge list --quarantine').");

    // The packet as it would read once stored (seq 0). Its bytes were verified on arrival; should they no longer parse, the id and envelope still show.
    private static Protocol.Api.QuarantinedPacket ToApi(Held held)
    {
        var packet = PacketBodies.TryRead(held.Envelope) is { } body ? ToApi(held.Id, 0, held.ReceivedAt, held.Envelope, body)
            : new KnowledgePacket { Id = Convert.ToHexStringLower(held.Id), ReceivedAt = held.ReceivedAt, Envelope = ByteString.CopyFrom(held.Envelope) };

        return new Protocol.Api.QuarantinedPacket { Packet = packet, FromPeer = held.FromPeer, ReceivedAt = held.ReceivedAt, Reason = held.Reason ?? "" };
    }
}
