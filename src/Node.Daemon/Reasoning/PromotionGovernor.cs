using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Daemon.Replay;
using Node.Federation.Clock;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Peers;
using Node.Federation.Sync;
using Node.Federation.Trust;
using Node.Protocol.Packets;
using Node.Reasoning.Decisions;
using Node.Reasoning.Governance;
using Node.Storage;
using Node.Storage.Decisions;
using Node.Storage.Packets;
using Node.Storage.Sync;
using QuarantineVerdict = Node.Federation.Sync.QuarantineVerdict;
using VerdictOutcome = Node.Federation.Sync.VerdictOutcome;

namespace Node.Daemon.Reasoning;

/// <summary>
/// Knowledge governance of the quarantine (ARCHITECTURE.md, trust tiers): each sandbox peer's packet gets one
/// <c>promotion</c> decision — reviewed by <see cref="PromotionReview"/>, judged by the decision matrix, recorded
/// by the <see cref="DecisionRecorder"/> — and an approved one is carried out by the <see cref="QuarantineDesk"/>.
/// </summary>
/// <remarks>
/// Every <see cref="ReviewInterval"/>: first carry out decisions no longer pending whose packet still waits (approved:
/// promoted; rejected: dropped) — so an approval survives a crash between being recorded and carried out — then review
/// up to <see cref="BatchSize"/> packets that have no decision yet. A guardian's verdict on a promotion decision is
/// carried out at once (<see cref="DecideAsync"/>), as is a guardian's promotion or rejection of the packet itself. A
/// pending decision whose packet left quarantine another way (its core copy arrived; its author retracted it) is closed
/// by governance: approved when the packet is stored, rejected when it is gone.
/// </remarks>
internal sealed partial class PromotionGovernor(NodeStore store, QuarantineDesk desk, PeerRegistry registry, IdentityHost identity,
    ReasoningHost reasoning, DecisionRecorder recorder, TimeProvider time, ILogger<PromotionGovernor> logger) : BackgroundService
{
    /// <summary>Time between reviews of the quarantine.</summary>
    public static readonly TimeSpan ReviewInterval = TimeSpan.FromSeconds(5);

    /// <summary>Packets reviewed, and decisions carried out, per pass at most.</summary>
    public const int BatchSize = 64;

    /// <summary>Packets of a slot compared for corroboration at most.</summary>
    public const int CorroborationScan = 32;

    private readonly PeriodicTimer _timer = new(ReviewInterval, time);
    private readonly HashSet<string> _stuck = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            do
            {
                try
                {
                    await PassAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPassFailed(logger, e); // one bad pass must not stop governance
                }
            }
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: reviews the packets without a decision, then carries out the decisions no longer pending.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<QuarantinedPacket> undecided;
        using (var reader = store.OpenReader())
        {
            undecided = reader.Sync.QuarantinedUndecided(QuarantineDesk.DecisionType, BatchSize);
        }

        var recording = new List<Task>(undecided.Count);
        foreach (var packet in undecided)
        {
            if (Decide(packet) is { } decision)
            {
                await recorder.EnqueueAsync(decision, cancellationToken).ConfigureAwait(false);
                recording.Add(decision.Recorded!.Task);
            }
        }

        // Recorded before looking for what to carry out (an automatic approval is carried out in this pass) and before
        // the next pass looks for undecided packets.
        await Task.WhenAll(recording).WaitAsync(cancellationToken).ConfigureAwait(false);

        IReadOnlyList<(QuarantinedPacket Packet, string Decision, string Status, string DecidedBy)> decided;
        using (var reader = store.OpenReader())
        {
            decided = reader.Sync.QuarantinedDecided(QuarantineDesk.DecisionType, BatchSize);
        }

        foreach (var (packet, decision, status, decidedBy) in decided)
        {
            await CarryOutAsync(packet.Id, decision, status != DecisionStatuses.Rejected,
                status == DecisionStatuses.AutoApproved ? QuarantineDesk.Governance : decidedBy, $"decision {decision}", cancellationToken).ConfigureAwait(false);
        }

        await CloseLeftAsync(cancellationToken).ConfigureAwait(false);
    }

    // A packet that left quarantine another way (its core copy arrived, its author retracted it) has nothing left to
    // decide: its pending decision is closed, approved when the packet is in the knowledge base, rejected when it is gone.
    private async Task CloseLeftAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(string Decision, byte[] Packet, bool Stored)> left;
        using (var reader = store.OpenReader())
        {
            left = reader.Sync.PendingAboutLeftQuarantine(QuarantineDesk.DecisionType, BatchSize);
        }

        foreach (var (decision, packet, stored) in left)
        {
            var reason = stored ? "the packet reached the knowledge base another way (from a core peer)"
                : "the packet left quarantine another way (its author retracted it)";
            await store.Writer.WriteAsync(c => c.Decisions.Decide(decision, stored, QuarantineDesk.Governance, reason), cancellationToken)
                .ConfigureAwait(false);
            var hex = QuarantineDesk.SubjectOf(packet);
            LogClosed(logger, decision, hex, reason);
        }
    }

    /// <summary>
    /// Carries out a guardian's verdict on <paramref name="decision"/> when it is a promotion decision whose packet waits
    /// in quarantine: the packet is promoted or rejected and the decision decided in one write.
    /// </summary>
    /// <returns>Null when this is not such a decision (the caller decides it as any other); otherwise what was done.</returns>
    public async Task<QuarantineVerdict?> DecideAsync(DecisionRecord decision, bool approve, string guardian, string reason,
        CancellationToken cancellationToken)
    {
        if (decision.Type != QuarantineDesk.DecisionType || decision.Status != DecisionStatuses.Pending || decision.Subject is not { Length: 64 } subject
            || !subject.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var verdict = await CarryOutAsync(Convert.FromHexString(subject), decision.Id, approve, guardian, reason, cancellationToken).ConfigureAwait(false);
        // Not in quarantine (or not now): nothing was carried out, and the caller decides the decision as any other.
        return verdict.Outcome is VerdictOutcome.NotInQuarantine or VerdictOutcome.Invalid ? null : verdict;
    }

    // Promotes or rejects the packet a decision is about, through the desk (which decides a pending decision in the same write).
    private async Task<QuarantineVerdict> CarryOutAsync(byte[] id, string decision, bool approve, string by, string reason,
        CancellationToken cancellationToken)
    {
        var verdict = approve ? await desk.PromoteAsync(id, by, reason, cancellationToken).ConfigureAwait(false)
            : await desk.RejectAsync(id, by, reason, cancellationToken).ConfigureAwait(false);
        var hex = QuarantineDesk.SubjectOf(id);
        switch (verdict.Outcome)
        {
            case VerdictOutcome.Done:
                LogCarriedOut(logger, decision, hex, approve ? "promoted" : "rejected", by);
                break;
            case VerdictOutcome.Retracted:
                LogRetractedMeanwhile(logger, decision, hex);
                break;
            case VerdictOutcome.Invalid when _stuck.Add(decision):
                LogNotCarriedOut(logger, decision, hex, verdict.Detail ?? "no detail"); // once: it is tried again every pass
                break;
        }

        return verdict;
    }

    // The review and the matrix's verdict; null when the packet's bytes no longer read (the desk refuses it too: it waits for a guardian's rejection).
    private PendingDecision? Decide(QuarantinedPacket packet)
    {
        if (PacketBodies.TryRead(packet.Envelope) is not { } body)
        {
            return null;
        }

        var evidence = Evidence(packet, body);
        var assessment = PromotionReview.Review(evidence);
        // One type for what is judged, recorded, looked up and decided: the desk's, which is the matrix's promotion rule.
        var verdict = reasoning.Matrix.Evaluate(QuarantineDesk.DecisionType, assessment.Confidence);
        if (verdict.Outcome == DecisionOutcome.Refused)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var id = DecisionIds.New(now);
        var subject = QuarantineDesk.SubjectOf(packet.Id);
        var reason = DecisionReasons.Describe(verdict);
        LogReviewed(logger, subject, packet.FromPeer, assessment.Confidence, verdict.IsAutoApproved ? "auto-approved" : "escalated", id);
        return new PendingDecision(id, QuarantineDesk.DecisionType, verdict.IsAutoApproved, assessment.Confidence, now, reason, subject,
            Explain(packet, body, assessment, verdict), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    private PromotionEvidence Evidence(QuarantinedPacket packet, PacketBody body)
    {
        using var reader = store.OpenReader();
        var (promoted, rejected) = reader.Sync.VerdictsOn(packet.FromPeer, QuarantineDesk.Governance);
        var author = body.Author == identity.Identity.Id.ToString() ? AuthorStanding.Self
            : registry.TierOf(body.Author) == TrustTier.Core ? AuthorStanding.Core
            : body.Author == packet.FromPeer ? AuthorStanding.Relayer
            : AuthorStanding.Other;
        var corroborated = reader.Packets.After(new PacketFilter(body.Topic, body.Key), 0, CorroborationScan)
            .Any(p => p.Packet.Author != body.Author && PacketBodies.TryRead(p.Packet.Envelope) is { } other && other.Content.Equals(body.Content));
        var ahead = TimeSpan.FromMilliseconds(new HybridTimestamp(body.Hlc).UnixMilliseconds - time.GetUtcNow().ToUnixTimeMilliseconds());
        return new PromotionEvidence(promoted, rejected, author, corroborated, ahead, body.MediaType, body.Content.Memory);
    }

    // The explanation chain a guardian reads: the packet, each piece of evidence with its log-odds, and the verdict.
    private static byte[] Explain(QuarantinedPacket packet, PacketBody body, PromotionAssessment assessment, DecisionVerdict verdict)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("subject", QuarantineDesk.SubjectOf(packet.Id));
            json.WriteString("packet", QuarantineDesk.SubjectOf(packet.Id));
            json.WriteString("from_peer", packet.FromPeer);
            json.WriteString("author", body.Author);
            json.WriteString("topic", body.Topic);
            json.WriteString("key", body.Key);
            json.WriteString("kind", PacketKinds.Name(body.Kind));
            ReasoningJson.Number(json, "confidence", assessment.Confidence);
            if (assessment.FailedGuardrail is { } guardrail)
            {
                json.WriteString("failed_guardrail", guardrail);
            }

            json.WriteStartArray("evidence");
            foreach (var factor in assessment.Factors)
            {
                json.WriteStartObject();
                json.WriteString("name", factor.Name);
                json.WriteString("detail", factor.Detail);
                ReasoningJson.Number(json, "log_odds", factor.LogOdds);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            DecisionIds.WriteVerdict(json, verdict);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Quarantined packet {Packet} from {Peer} reviewed for promotion at confidence {Confidence:F3}: {Outcome} (decision {Decision}).")]
    private static partial void LogReviewed(ILogger logger, string packet, string peer, double confidence, string outcome, string decision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {Decision} carried out: packet {Packet} {Action} by {By}.")]
    private static partial void LogCarriedOut(ILogger logger, string decision, string packet, string action, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {Decision}: packet {Packet} was retracted by its author meanwhile; dropped, not promoted.")]
    private static partial void LogRetractedMeanwhile(ILogger logger, string decision, string packet);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {Decision} approved, but packet {Packet} cannot be promoted now ({Detail}); it stays in quarantine and is tried again.")]
    private static partial void LogNotCarriedOut(ILogger logger, string decision, string packet, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {Decision} closed: {Reason} (packet {Packet}).")]
    private static partial void LogClosed(ILogger logger, string decision, string packet, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A review of the quarantine failed; the next one is in 5 s.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
