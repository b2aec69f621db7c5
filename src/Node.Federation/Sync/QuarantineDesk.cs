using Node.Federation.Packets;
using Node.Storage;
using Node.Storage.Sync;

namespace Node.Federation.Sync;

/// <summary>What a promotion or rejection did.</summary>
public enum VerdictOutcome
{
    /// <summary>Done: promoted (stored, or held for its dependencies) or rejected.</summary>
    Done,

    /// <summary>The packet is not in quarantine.</summary>
    NotInQuarantine,

    /// <summary>It was retracted by its author meanwhile: it is dropped instead of promoted.</summary>
    Retracted,

    /// <summary>Its bytes no longer verify (or its author's key is gone): it stays in quarantine.</summary>
    Invalid,
}

/// <summary>The result of a promotion or a rejection.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Packet">The packet as it was in quarantine (null when it was not there).</param>
/// <param name="Intake">For a promotion that reached the store: what the intake did.</param>
/// <param name="Detail">Why, when it was not done.</param>
public sealed record QuarantineVerdict(VerdictOutcome Outcome, QuarantinedPacket? Packet, IntakeResult? Intake, string? Detail);

/// <summary>
/// Quarantine's way out (ARCHITECTURE.md, trust tiers): a guardian, or an approved <c>promotion</c>
/// decision, promotes a sandbox peer's packet into the knowledge base — checked again, and through
/// the intake's rules (retractions, dependencies) like any arrival — or rejects it for good. Each is
/// an event naming who decided.
/// </summary>
public sealed class QuarantineDesk(NodeStore store, AuthorKeys keys)
{
    /// <summary>The decision type whose approval promotes a packet and whose rejection drops it (the decision matrix's <c>promotion</c>).</summary>
    public const string DecisionType = "promotion";

    /// <summary>Who promotes on an automatically approved decision, in events and the promoted packets' record.</summary>
    public const string Governance = "governance";

    /// <summary>The subject of the promotion decision about <paramref name="id"/>: the id in lower-case hex.</summary>
    public static string SubjectOf(byte[] id) => Convert.ToHexStringLower(id);

    /// <summary>
    /// Promotes <paramref name="id"/> on <paramref name="by"/>'s word. A promotion decision still pending about it is
    /// decided in the same write: approved when the packet reached the knowledge base, rejected when its author had
    /// retracted it. A packet whose dependencies are missing while the hold is full stays in quarantine.
    /// </summary>
    public async Task<QuarantineVerdict> PromoteAsync(byte[] id, string by, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        QuarantinedPacket? packet;
        using (var reader = store.OpenReader())
        {
            packet = reader.Sync.QuarantinedById(id);
        }

        if (packet is null)
        {
            return new QuarantineVerdict(VerdictOutcome.NotInQuarantine, null, null, "not in quarantine");
        }

        var check = PacketVerifier.Verify(packet.Envelope, keys, id);
        if (!check.IsValid)
        {
            return new QuarantineVerdict(VerdictOutcome.Invalid, packet, null, check.Detail);
        }

        var results = await store.Writer.WriteAsync(context =>
        {
            if (context.Sync.QuarantinedById(id) is null)
            {
                return null;
            }

            var result = new IntakeWrite(context, PacketIntake.MaxHeldPackets, PacketIntake.MaxHeldBytes).Take(check, packet.FromPeer, PacketDestination.KnowledgeBase);
            if (result.Outcome == IntakeOutcome.HoldFull)
            {
                return result; // nothing written: it waits in quarantine for room in the hold
            }

            // Stored takes it out of quarantine itself; a duplicate, a held or a retracted packet leaves it here.
            context.Sync.TakeFromQuarantine(id);
            var promoted = result.Outcome is IntakeOutcome.Stored or IntakeOutcome.Held or IntakeOutcome.Duplicate or IntakeOutcome.Repaired;
            if (promoted)
            {
                context.Sync.RecordPromotion(id, packet.FromPeer, by, reason);
            }

            context.Decisions.DecidePendingAbout(DecisionType, SubjectOf(id), promoted, by,
                promoted ? reason ?? "promoted out of quarantine" : "its author retracted it");
            return result;
        }, cancellationToken).ConfigureAwait(false);
        return results switch
        {
            null => new QuarantineVerdict(VerdictOutcome.NotInQuarantine, null, null, "not in quarantine"),
            { Outcome: IntakeOutcome.Retracted } => new QuarantineVerdict(VerdictOutcome.Retracted, packet, results, "its author retracted it"),
            { Outcome: IntakeOutcome.HoldFull } => new QuarantineVerdict(VerdictOutcome.Invalid, packet, results, "its dependencies are missing and the hold is full"),
            _ => new QuarantineVerdict(VerdictOutcome.Done, packet, results, null),
        };
    }

    /// <summary>
    /// Rejects <paramref name="id"/> on <paramref name="by"/>'s word: dropped, and not taken again. A promotion decision
    /// still pending about it is rejected in the same write.
    /// </summary>
    public async Task<QuarantineVerdict> RejectAsync(byte[] id, string by, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var rejected = await store.Writer.WriteAsync(context =>
        {
            var packet = context.Sync.Reject(id, by, reason);
            if (packet is not null)
            {
                context.Decisions.DecidePendingAbout(DecisionType, SubjectOf(id), approve: false, by, reason ?? "rejected out of quarantine");
            }

            return packet;
        }, cancellationToken).ConfigureAwait(false);
        return rejected is not null ? new QuarantineVerdict(VerdictOutcome.Done, rejected, null, null)
            : new QuarantineVerdict(VerdictOutcome.NotInQuarantine, null, null, "not in quarantine");
    }
}
