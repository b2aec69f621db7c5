using Node.Protocol.Packets;
using Node.Storage.Packets;
using Node.Storage.Sync;
using Node.Storage.Writing;

namespace Node.Federation.Packets;

/// <summary>
/// The intake's rules inside one write: what a verified packet does to the store. A retracted
/// packet is refused; a sandbox peer's goes to quarantine; one with missing dependencies is held
/// (a retracted dependency counts as met: it will never come); a stored retraction records its
/// targets for ever and removes those its author may retract; and every held packet an arrival
/// completes is stored the same way.
/// </summary>
/// <remarks>
/// The batch's ids and their dependencies, when it is given, are looked up once, when the write starts
/// (<see cref="SyncQueries.Presence"/>): a question whose answer there was "nowhere" is not asked
/// again packet by packet, unless this write has since changed a row under that id (it stored,
/// held, quarantined, retracted or released it, or held a packet waiting for it) — then the
/// store is asked, as for any id the lookup found. So every rule reads what the store holds at
/// that moment, as it did with one statement per question.
/// </remarks>
internal sealed class IntakeWrite(WriteContext context, int maxHeldPackets, long maxHeldBytes, IReadOnlyCollection<VerifiedPacket>? batch = null)
{
    private readonly Dictionary<byte[], PacketPresence> _presence = Lookup(context, batch);
    private readonly HashSet<byte[]> _touched = new(IdComparer.Instance);

    // One write takes one peer's page: the peer's quarantine usage, once read.
    private (long Count, long Bytes)? _quarantined;

    public IntakeResult Take(PacketCheck check, string? fromPeer, PacketDestination destination)
    {
        var packet = check.Packet!;
        if (May(packet.Id, PacketPresence.Stored) && context.FindPacket(packet.Id) is { } existing)
        {
            return Result(context.RepairPacket(Record(packet.Id, packet.Envelope, packet.Body)) ? IntakeOutcome.Repaired : IntakeOutcome.Duplicate,
                check, existing);
        }

        if (May(packet.Id, PacketPresence.Retracted) && IsRetracted(packet.Id, packet.Body.Author))
        {
            return Result(IntakeOutcome.Retracted, check);
        }

        // A retraction withdraws only its own author's packets, whoever relays it: it skips quarantine, so a
        // sandbox peer passing on an author's retraction does not leave the retracted value standing here.
        if (destination == PacketDestination.Quarantine && packet.Body.Kind != PacketKind.Retraction)
        {
            if (May(packet.Id, PacketPresence.Rejected) && context.Sync.IsRejected(packet.Id))
            {
                return Result(IntakeOutcome.Rejected, check);
            }

            // The peer's share, read once per write and counted on from there.
            var (count, bytes) = _quarantined ??= context.Sync.QuarantineUsage(fromPeer!);
            if (count >= PacketIntake.MaxQuarantinedPerPeer || bytes + packet.Envelope.Length > PacketIntake.MaxQuarantinedBytesPerPeer)
            {
                // A packet waiting here already is a duplicate, full or not: its round must not stall on it.
                return Result(May(packet.Id, PacketPresence.Quarantined) && context.Sync.QuarantinedById(packet.Id) is not null
                    ? IntakeOutcome.Duplicate : IntakeOutcome.QuarantineFull, check);
            }

            _touched.Add(packet.Id);
            if (!context.Sync.Quarantine(packet.Id, packet.Envelope, fromPeer!, "from a sandbox peer"))
            {
                return Result(IntakeOutcome.Duplicate, check);
            }

            _quarantined = (count + 1, bytes + packet.Envelope.Length);
            return Result(IntakeOutcome.Quarantined, check);
        }

        var missing = packet.Body.Dependencies.Select(d => d.ToByteArray())
            .Where(d => !(May(d, PacketPresence.Stored) && context.HasPacket(d)) && !(May(d, PacketPresence.Retracted) && context.Sync.IsRetracted(d))).ToList();
        if (missing.Count > 0)
        {
            var held = context.HeldUsage();
            if (held.Packets >= maxHeldPackets || held.Bytes + packet.Envelope.Length > maxHeldBytes)
            {
                return new IntakeResult(IntakeOutcome.HoldFull, check, null, [], missing);
            }

            _touched.Add(packet.Id);
            _touched.UnionWith(missing);
            context.HoldPacket(packet.Id, packet.Envelope, fromPeer, missing);
            return new IntakeResult(IntakeOutcome.Held, check, null, [], missing);
        }

        var seq = Store(packet.Id, packet.Envelope, packet.Body);
        var released = new List<byte[]>();
        var arrived = new Queue<byte[]>(Arrivals(packet.Id, packet.Body));
        while (arrived.TryDequeue(out var id))
        {
            if (!May(id, PacketPresence.AwaitedByHeld))
            {
                continue;
            }

            foreach (var (heldId, heldEnvelope) in context.ReleaseWaitingFor(id))
            {
                // Checked when it was held; its body is decoded again only to index it.
                var body = PacketBodies.Read(heldEnvelope);
                Store(heldId, heldEnvelope, body);
                released.Add(heldId);
                foreach (var next in Arrivals(heldId, body))
                {
                    arrived.Enqueue(next);
                }
            }
        }

        return new IntakeResult(IntakeOutcome.Stored, check, seq, released, []);
    }

    /// <summary>Whether a retraction recorded here withdraws <paramref name="id"/> by <paramref name="author"/>.</summary>
    private bool IsRetracted(byte[] id, string author) =>
        context.Sync.RetractionsOf(id).Any(r => AuthorChain.MayRetract(context.Read, r.Author, author));

    private long Store(byte[] id, byte[] envelope, PacketBody body)
    {
        var quarantined = May(id, PacketPresence.Quarantined);
        _touched.Add(id);
        var seq = context.InsertPacket(Record(id, envelope, body)).Seq;
        // Taken from a core peer (or promoted) while a sandbox peer's copy waited: one copy, in the knowledge base.
        if (quarantined)
        {
            context.Sync.TakeFromQuarantine(id);
        }

        if (body.Kind == PacketKind.Retraction)
        {
            foreach (var target in body.Supersedes.Select(s => s.ToByteArray()))
            {
                Retract(target, id, body.Author);
            }
        }

        return seq;
    }

    // The ids whose arrival may release held packets: the packet, and what a retraction withdrew (a dependency on it is met now).
    private static IEnumerable<byte[]> Arrivals(byte[] id, PacketBody body) =>
        body.Kind == PacketKind.Retraction ? [id, .. body.Supersedes.Select(s => s.ToByteArray())] : [id];

    private void Retract(byte[] target, byte[] retraction, string retractor)
    {
        _touched.Add(target);
        context.Sync.RecordRetraction(target, retractor, retraction);
        if (AuthorOf(target) is { } author && AuthorChain.MayRetract(context.Read, retractor, author))
        {
            context.Sync.RemoveRetracted(target, retraction, retractor);
        }
    }

    // The target's author, wherever it is here (stored, held, quarantined); null when it is nowhere.
    private string? AuthorOf(byte[] target)
    {
        if (context.Sync.StoredAuthor(target) is { } stored)
        {
            return stored;
        }

        var envelope = context.Sync.HeldEnvelope(target) ?? context.Sync.QuarantinedById(target)?.Envelope;
        return envelope is null ? null : PacketBodies.Read(envelope).Author;
    }

    // Whether the store may hold <what> for <id>: the batch's lookup found it, the id was not in the lookup, or this write changed a row under it since.
    private bool May(byte[] id, PacketPresence what) =>
        _touched.Contains(id) || !_presence.TryGetValue(id, out var found) || (found & what) != 0;

    // The batch's ids and their dependencies, and where the store holds each: one statement. Without a batch, nothing is looked up ahead.
    private static Dictionary<byte[], PacketPresence> Lookup(WriteContext context, IReadOnlyCollection<VerifiedPacket>? batch)
    {
        var ids = (batch ?? []).SelectMany(p => p.Body.Dependencies.Select(d => d.ToByteArray()).Prepend(p.Id)).Distinct(IdComparer.Instance).ToList();
        var presence = context.Sync.Presence(ids);
        var found = new Dictionary<byte[], PacketPresence>(ids.Count, IdComparer.Instance);
        for (var i = 0; i < ids.Count; i++)
        {
            found[ids[i]] = presence[i];
        }

        return found;
    }

    private static IntakeResult Result(IntakeOutcome outcome, PacketCheck check, long? seq = null) => new(outcome, check, seq, [], []);

    private static PacketRecord Record(byte[] id, byte[] envelope, PacketBody body) =>
        new(id, envelope, body.Topic, body.Key, body.Author, PacketKinds.Name(body.Kind), (long)body.Hlc, PacketScopes.Of(body.Scope),
            [.. body.Dependencies.Select(d => d.ToByteArray())]);
}
