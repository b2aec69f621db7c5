// Key rotations (docs/design/peer-link.md §8): trust carries to the new id, the old id is retired,
// a competing rotation of one old id is refused and reported.
using System.Collections.Concurrent;
using Node.Federation.Peers;
using Node.Federation.Trust;
using Node.Storage.Events.Payloads;
using Node.Storage.Peers;
using Node.Storage.Writing;

namespace Node.Federation.Identity;

public sealed partial class ManifestBook
{
    // Accepted rotations (old id → new id) and competitors already reported: repeats need no write.
    private readonly ConcurrentDictionary<NodeId, NodeId> _rotations = new();
    private readonly ConcurrentDictionary<(NodeId Old, NodeId Competing), byte> _reportedConflicts = new();

    /// <summary>
    /// Applies a verified key rotation statement (a peer's Hello carries them, oldest first). For an
    /// old id that is a registered peer, not retired, with no rotation accepted before: accepted — the
    /// new id is registered with the old id's tier (or keeps its own when that is higher), the old id's
    /// static addresses name the new id, the old id is retired with tier unknown, its manifest is
    /// dropped (event <c>peer.rotated</c>). The same rotation again changes nothing. A different
    /// rotation of an old id that already rotated is refused: a stolen old key can sign competitors
    /// and nothing tells which is genuine, so the id carrying the old id's tier (the recorded new id,
    /// or where it rotated since) drops to unknown until an operator decides (event
    /// <c>peer.rotation_conflict</c>, once per competitor). A rotation of an id that is no peer of
    /// ours teaches nothing.
    /// </summary>
    /// <param name="verified">A statement <see cref="KeyRotations.Verify"/> found valid.</param>
    /// <param name="statement">The bytes it was verified from (stored for ever when accepted).</param>
    /// <param name="cancellationToken">Gives up waiting for the store's writer.</param>
    /// <exception cref="ArgumentException"><paramref name="verified"/> is not valid.</exception>
    public async Task<RotationResult> RotateAsync(RotationCheck verified, ReadOnlyMemory<byte> statement, CancellationToken cancellationToken = default)
    {
        if (!verified.IsValid || verified.OldId.IsEmpty || verified.NewId.IsEmpty)
        {
            throw new ArgumentException($"Only a verified rotation is offered to the book ({verified.Detail}).", nameof(verified));
        }

        var (old, successor) = (verified.OldId, verified.NewId);
        if (_rotations.TryGetValue(old, out var recorded))
        {
            if (recorded == successor)
            {
                return Result(RotationOutcome.Known, $"{old} rotated to {successor} before");
            }

            if (_reportedConflicts.ContainsKey((old, successor)))
            {
                return Result(RotationOutcome.Conflicting, $"{old} rotated to {recorded} before; this competing rotation to {successor} was reported already");
            }
        }

        var statementBytes = statement.ToArray();
        var decision = await _store.Writer.WriteAsync(context => Decide(context, old, successor, statementBytes), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            Apply(decision);
        }

        return decision.Result;

        RotationResult Result(RotationOutcome outcome, string detail) => new(outcome, old, successor, [], detail);
    }

    // Inside the write: the registry's tiers and the stored rotations decide, atomically with what is written.
    private static Decision Decide(WriteContext context, NodeId old, NodeId successor, byte[] statement)
    {
        var (oldText, newText) = (old.ToString(), successor.ToString());
        var row = new PeerRotationRow(oldText, newText, statement, context.Now);
        if (context.PeerManifests.Rotation(oldText) is { } prior)
        {
            if (prior.NewId == newText)
            {
                return new Decision(new(RotationOutcome.Known, old, successor, [], $"{old} rotated to {successor} before"));
            }

            var recorded = NodeId.Parse(prior.NewId);
            if (!context.PeerManifests.InsertRotationConflict(row))
            {
                return new Decision(new(RotationOutcome.Conflicting, old, successor, [],
                    $"{old} rotated to {recorded} before; this competing rotation to {successor} was reported already"), Competitor: (old, successor));
            }

            var demoted = CarrierOf(context, recorded);
            var from = context.Peers.TierOf(demoted.ToString());
            if (from is not null)
            {
                context.Peers.SetTier(demoted.ToString(), PeerRegistry.TierName(TrustTier.Unknown));
            }

            context.AppendEvent(new PeerRotationConflictEvent(oldText, prior.NewId, newText, demoted.ToString(), from ?? PeerRegistry.TierName(TrustTier.Unknown)));
            return new Decision(new(RotationOutcome.Conflicting, old, successor, from is null ? [] : [(demoted, TrustTier.Unknown)],
                $"{old} rotated to {recorded} before; the competing rotation to {successor} is refused and {demoted} is now unknown until an operator decides"),
                Competitor: (old, successor), Demoted: (demoted, recorded, from ?? "unknown"));
        }

        if (context.Peers.TierOf(oldText) is not { } oldTier || context.Peers.RetiredTo(oldText) is not null)
        {
            return new Decision(new(RotationOutcome.NotRegistered, old, successor, [], $"{old} is no peer here: nothing is learnt from its rotation"));
        }

        if (context.Peers.RetiredTo(newText) is { } newRetiredTo)
        {
            return new Decision(new(RotationOutcome.Refused, old, successor, [], $"{successor} itself rotated to {newRetiredTo}: a rotation back to it is refused"));
        }

        var carried = PeerRegistry.ParseTier(oldTier);
        if (context.Peers.TierOf(newText) is { } ownTier && PeerRegistry.ParseTier(ownTier) > carried)
        {
            carried = PeerRegistry.ParseTier(ownTier);
        }

        var tier = PeerRegistry.TierName(carried);
        context.PeerManifests.InsertRotation(row);
        context.Peers.RegisterSuccessor(oldText, newText, tier, context.Now);
        context.Peers.Retire(oldText, newText);
        context.AppendEvent(new PeerRotatedEvent(oldText, newText, tier));
        return new Decision(new(RotationOutcome.Recorded, old, successor, [(successor, carried), (old, TrustTier.Unknown)],
            $"{old} rotated to {successor}, which is now '{tier}' here; {old} is retired"), Accepted: true);
    }

    // The id that carries an old id's tier now: its recorded successor, or where that rotated since.
    private static NodeId CarrierOf(WriteContext context, NodeId recorded)
    {
        var carrier = recorded;
        for (var hops = 0; hops < 64 && context.Peers.RetiredTo(carrier.ToString()) is { } next && NodeId.TryParse(next, out var nextId, out _); hops++)
        {
            carrier = nextId;
        }

        return carrier;
    }

    // Under the lock, after the write committed.
    private void Apply(Decision decision)
    {
        var result = decision.Result;
        if (decision.Competitor is { } competitor)
        {
            _reportedConflicts[competitor] = 0;
        }

        if (decision.Demoted is { } demoted)
        {
            LogRotationConflict(_logger, result.OldId, result.NewId, demoted.Recorded, demoted.Node, demoted.From);
        }

        if (!decision.Accepted)
        {
            return;
        }

        _rotations[result.OldId] = result.NewId;
        _retired[result.OldId] = result.NewId;
        Drop(result.OldId);
        _persisted.Remove(result.OldId);
        var tier = PeerRegistry.TierName(result.TierChanges[0].Tier);
        LogRotated(_logger, result.OldId, result.NewId, tier);

        // The new id is registered now, whatever the caller's view of the registry says yet: a manifest
        // of it held as a stranger's is kept and persisted.
        if (_current.ContainsKey(result.NewId))
        {
            Keep(result.NewId, registered: true);
        }
    }

    private sealed record Decision(RotationResult Result, (NodeId Old, NodeId Competing)? Competitor = null,
        (NodeId Node, NodeId Recorded, string From)? Demoted = null, bool Accepted = false);
}
