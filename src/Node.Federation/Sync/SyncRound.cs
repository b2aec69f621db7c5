using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Node.Federation.Packets;
using Node.Federation.Trust;
using Node.Protocol.Peer;
using Node.Storage;
using Node.Storage.Packets;
using Node.Storage.Sync;

namespace Node.Federation.Sync;

/// <summary>How a round ended.</summary>
/// <param name="Kind">"catch-up" or "reconciliation" (a reconciliation ends with a catch-up).</param>
/// <param name="Received">Packets taken (stored, held, quarantined).</param>
/// <param name="Refused">Packets refused (bad, retracted, rejected before).</param>
/// <param name="Complete">Whether the round reached the peer's newest packet; false when it stopped early (a packet it could not take now).</param>
/// <param name="Cursor">Where the round left the cursor into the peer's store.</param>
public sealed record SyncRoundResult(string Kind, long Received, long Refused, bool Complete, SyncCursor? Cursor = null);

/// <summary>
/// One sync round with one peer, from this node's side: this node pulls; the peer pulls from us in
/// its own rounds. With a cursor into the peer's store (same epoch, same view) it catches up page by
/// page, saving the cursor after each page is committed. Without one — first contact, the peer's
/// epoch changed (a restore), its view of us changed, or the audit asked — it reconciles the two
/// sets, fetches what it lacks, and then catches up from the sequence the reconciled set was read at.
/// Every packet is verified before it is stored (<see cref="PacketIntake"/>); a core peer's go to the
/// knowledge base, a sandbox peer's to quarantine.
/// </summary>
public sealed partial class SyncRound(NodeStore store, PacketIntake intake, AuthorKeys keys, TimeProvider time, ILogger logger)
{
    /// <summary>Fetch requests in flight at once while taking what reconciliation found: the credit of the transfer.</summary>
    public const int FetchWindow = 2;

    /// <summary>Runs one round with <paramref name="peer"/>, whose tier here is <paramref name="tier"/> (core or sandbox).</summary>
    /// <param name="peer">The peer's node id.</param>
    /// <param name="tier">Its tier here: decides where its packets land and what we reveal of ours.</param>
    /// <param name="channel">The peer's sync methods.</param>
    /// <param name="progress">Where the round reports.</param>
    /// <param name="audit">Reconcile even with a good cursor (the periodic audit).</param>
    /// <param name="cancellationToken">Ends the round (the link went, the node stops).</param>
    public async Task<SyncRoundResult> RunAsync(string peer, TrustTier tier, ISyncPeer channel, SyncProgress progress, bool audit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(progress);
        var ours = PeerPermissions.SyncView(tier) ?? throw new InvalidOperationException($"Peer {peer} is '{tier}' here: nothing is synced with it.");
        var destination = tier == TrustTier.Core ? PacketDestination.KnowledgeBase : PacketDestination.Quarantine;
        var tally = new Tally(peer, destination, progress);
        SyncCursor? cursor;
        using (var reader = store.OpenReader())
        {
            cursor = reader.Sync.Cursor(peer);
        }

        var kind = "catch-up";
        if (cursor is not null && !audit)
        {
            progress.Update(s => s with { Phase = SyncPhase.CatchingUp });
            var (result, reached) = await CatchUpAsync(peer, cursor, channel, tally, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                return new SyncRoundResult(kind, tally.Received, tally.Refused, result.Value, reached);
            }
        }

        kind = "reconciliation";
        var start = await ReconcileAsync(peer, ours, channel, tally, cancellationToken).ConfigureAwait(false);
        progress.Update(s => s with { Phase = SyncPhase.CatchingUp });
        var (complete, end) = await CatchUpAsync(peer, start, channel, tally, cancellationToken).ConfigureAwait(false);
        return new SyncRoundResult(kind, tally.Received, tally.Refused, complete ?? false, end);
    }

    // Pages from the cursor until the peer's newest packet. Null when the cursor no longer fits (another epoch or view): reconcile.
    private async Task<(bool? Complete, SyncCursor Cursor)> CatchUpAsync(string peer, SyncCursor cursor, ISyncPeer channel, Tally tally,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var reply = await channel.CatchUpAsync(new CatchUpRequest
            {
                Epoch = ByteString.CopyFrom(cursor.Epoch),
                AfterSeq = cursor.Seq,
                MaxPackets = SyncLimits.DefaultCatchUpPackets,
                ViewScope = (uint)cursor.ViewScope,
            }, cancellationToken).ConfigureAwait(false);
            if (!reply.Epoch.Span.SequenceEqual(cursor.Epoch) || reply.ViewScope != (uint)cursor.ViewScope || reply.LastSeq < cursor.Seq)
            {
                LogCursorStale(logger, peer, !reply.Epoch.Span.SequenceEqual(cursor.Epoch) ? "its store epoch changed"
                    : reply.ViewScope != (uint)cursor.ViewScope ? "its view of this node changed" : "the cursor is past its newest packet");
                return (null, cursor);
            }

            if (reply.ScannedTo < cursor.Seq || reply.ScannedTo > reply.LastSeq || reply.Packets.Any(p => p.Seq <= cursor.Seq || p.Seq > reply.ScannedTo))
            {
                throw new SyncProtocolException($"catch-up from {peer}: scanned_to {reply.ScannedTo} or a packet's seq is outside ({cursor.Seq}, {reply.LastSeq}]");
            }

            var scannedBefore = cursor.Seq;
            var stoppedAt = await TakeAsync(reply.Packets, reply.AuthorKeys, tally, cancellationToken).ConfigureAwait(false);
            var scanned = stoppedAt is { } seq ? seq - 1 : reply.ScannedTo;
            if (scanned > cursor.Seq)
            {
                cursor = cursor with { Seq = scanned, UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds() };
                var saved = cursor;
                await store.Writer.WriteAsync(c => c.Sync.SaveCursor(saved), cancellationToken).ConfigureAwait(false);
            }

            if (stoppedAt is not null)
            {
                return (false, cursor);
            }

            if (reply.ScannedTo >= reply.LastSeq)
            {
                tally.Progress.Update(s => s with { ToReceive = s.ToReceive is null ? null : 0 });
                return (true, cursor);
            }

            if (reply.Packets.Count == 0 && reply.ScannedTo == scannedBefore)
            {
                throw new SyncProtocolException($"catch-up from {peer}: a page that is not the last moved nothing (scanned_to {reply.ScannedTo} of {reply.LastSeq})");
            }
        }
    }

    // Verifies and commits a page; returns the seq of the first packet that could not be taken now (the cursor stays before it).
    private async Task<long?> TakeAsync(Google.Protobuf.Collections.RepeatedField<SyncPacket> packets, Google.Protobuf.Collections.RepeatedField<ByteString> authorKeys,
        Tally tally, CancellationToken cancellationToken) =>
        await CommitAsync(await CheckAsync(packets, authorKeys, cancellationToken).ConfigureAwait(false), tally, cancellationToken).ConfigureAwait(false);

    // Learns the authors' keys offered with the packets, then checks them (signatures on every core); nothing is stored yet.
    // What is stored here already with the same bytes is not checked again: a core peer catching up from us hands back
    // what it just took from us, and verifying it would cost as much as verifying it the first time, for a duplicate.
    private async Task<CheckedPage> CheckAsync(Google.Protobuf.Collections.RepeatedField<SyncPacket> packets,
        Google.Protobuf.Collections.RepeatedField<ByteString> authorKeys, CancellationToken cancellationToken)
    {
        if (packets.Count == 0)
        {
            return new CheckedPage([], [], new CheckedBatch([]), 0, 0);
        }

        var envelopes = packets.Select(p => p.Envelope.ToByteArray()).ToArray();
        var known = StoredAsIs(envelopes);
        var seqs = new List<long>(packets.Count);
        var offered = new List<OfferedPacket>(packets.Count);
        long knownBytes = 0;
        for (var i = 0; i < packets.Count; i++)
        {
            if (known[i])
            {
                knownBytes += envelopes[i].Length;
                continue;
            }

            seqs.Add(packets[i].Seq);
            offered.Add(new OfferedPacket(envelopes[i]));
        }

        if (offered.Count > 0)
        {
            await keys.LearnAsync(authorKeys.Take(SyncLimits.MaxAuthorKeys).Select(k => k.Memory),
                () => offered.Select(p => PacketBodies.TryRead(p.Envelope)?.Author).OfType<string>().ToHashSet(StringComparer.Ordinal), cancellationToken)
                .ConfigureAwait(false);
        }

        return new CheckedPage(seqs, offered, intake.Check(offered), packets.Count - offered.Count, knownBytes);
    }

    // Which envelopes are stored here with these very bytes (one read for the page); one that does not decode has no id to look up.
    private bool[] StoredAsIs(byte[][] envelopes)
    {
        var ids = envelopes.Select(e => PacketBodies.TryReadId(e)).ToArray();
        var decoded = Enumerable.Range(0, envelopes.Length).Where(i => ids[i] is not null).ToArray();
        bool[] found;
        using (var reader = store.OpenReader())
        {
            found = reader.Sync.StoredAsIs([.. decoded.Select(i => (ids[i]!, envelopes[i]))]);
        }

        var known = new bool[envelopes.Length];
        for (var j = 0; j < decoded.Length; j++)
        {
            known[decoded[j]] = found[j];
        }

        return known;
    }

    // Commits a checked page; returns the seq of the first packet that could not be taken now.
    private async Task<long?> CommitAsync(CheckedPage page, Tally tally, CancellationToken cancellationToken)
    {
        // Stored here already: taken, as the intake's duplicates are.
        tally.Receive(page.Known, page.KnownBytes);
        if (page.Offered.Count == 0)
        {
            return null;
        }

        var results = await intake.CommitAsync(page.Batch, tally.Peer, tally.Destination, cancellationToken).ConfigureAwait(false);
        long? stoppedAt = null;
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            if (result.Outcome is IntakeOutcome.HoldFull or IntakeOutcome.QuarantineFull or IntakeOutcome.ClockAhead)
            {
                stoppedAt ??= page.Seqs[i];
                LogNotTakenNow(logger, tally.Peer, result.Outcome);
            }
            else if (result.Outcome is IntakeOutcome.Refused or IntakeOutcome.Retracted or IntakeOutcome.Rejected)
            {
                tally.Refuse();
                if (result.Outcome == IntakeOutcome.Refused)
                {
                    LogRefused(logger, tally.Peer, result.Check.Outcome, result.Check.Detail ?? "");
                }
            }
            else
            {
                tally.Receive(page.Offered[i].Envelope.Length);
            }
        }

        return stoppedAt;
    }

    // A page checked and not yet committed: each packet's sequence on the peer, the envelopes, the checks; and how many
    // packets (and bytes) of the page were stored here already, so neither checked nor offered to the intake.
    private sealed record CheckedPage(IReadOnlyList<long> Seqs, IReadOnlyList<OfferedPacket> Offered, CheckedBatch Batch, int Known, long KnownBytes);

    // Counts what the round took, into the peer's progress.
    private sealed class Tally(string peer, PacketDestination destination, SyncProgress progress)
    {
        public string Peer => peer;

        public PacketDestination Destination => destination;

        public SyncProgress Progress => progress;

        public long Received { get; private set; }

        public long Refused { get; private set; }

        public void Receive(long bytes) => Receive(1, bytes);

        public void Receive(int packets, long bytes)
        {
            if (packets == 0)
            {
                return;
            }

            Received += packets;
            progress.Update(s => s with
            {
                PacketsReceived = s.PacketsReceived + packets,
                BytesReceived = s.BytesReceived + bytes,
                ToReceive = s.ToReceive is { } n ? Math.Max(0, n - packets) : null,
            });
        }

        public void Refuse()
        {
            Refused++;
            progress.Update(s => s with { Refused = s.Refused + 1, ToReceive = s.ToReceive is > 0 ? s.ToReceive - 1 : s.ToReceive });
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync with {Peer}: the cursor no longer fits ({Why}); reconciling.")]
    private static partial void LogCursorStale(ILogger logger, string peer, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync with {Peer}: a packet cannot be taken now ({Outcome}); the round stops before it and the next one tries again.")]
    private static partial void LogNotTakenNow(ILogger logger, string peer, IntakeOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync with {Peer}: packet refused ({Outcome}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string peer, PacketOutcome outcome, string detail);
}
