using Node.Federation.Clock;
using Node.Protocol.Packets;
using Node.Storage.Packets;
using Node.Storage.Writing;

namespace Node.Federation.Packets;

/// <summary>What happened to a packet offered to the store.</summary>
public enum IntakeOutcome
{
    /// <summary>Stored (with the held packets it completed).</summary>
    Stored,

    /// <summary>Already stored; nothing changed.</summary>
    Duplicate,

    /// <summary>Already stored but marked corrupt: these bytes, which verify, replaced the bad ones, and it is served again.</summary>
    Repaired,

    /// <summary>Held until its missing dependencies arrive.</summary>
    Held,

    /// <summary>Its dependencies are missing and the hold is full (<see cref="PacketIntake.MaxHeldPackets"/>, <see cref="PacketIntake.MaxHeldBytes"/>): refused, to be offered again later.</summary>
    HoldFull,

    /// <summary>Refused by the checks (see the packet check's outcome).</summary>
    Refused,

    /// <summary>Its clock is further ahead of ours than the clock allows (<see cref="HybridClock.MaxDrift"/>): refused, so a broken or hostile clock cannot win a slot for ever.</summary>
    ClockAhead,
}

/// <summary>The result of <see cref="PacketIntake.AcceptAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Check">The packet check.</param>
/// <param name="Seq">The local receive sequence, when stored or a duplicate.</param>
/// <param name="Released">Ids of held packets stored because this one arrived.</param>
/// <param name="Missing">The dependencies it waits for, when held.</param>
public sealed record IntakeResult(IntakeOutcome Outcome, PacketCheck Check, long? Seq, IReadOnlyList<byte[]> Released, IReadOnlyList<byte[]> Missing);

/// <summary>
/// Takes packets into the store: checks each (<see cref="PacketVerifier"/>), stores a valid one
/// through the single writer — or holds it while a dependency is missing — and releases every
/// held packet its arrival completes, all in one transaction. Acknowledged only once durable.
/// </summary>
public sealed class PacketIntake(StoreWriter writer, IKeyDirectory keys, int maxHeldPackets = PacketIntake.MaxHeldPackets,
    long maxHeldBytes = PacketIntake.MaxHeldBytes, HybridClock? clock = null)
{
    /// <summary>Most packets held at once: a peer cannot fill the disk with packets whose dependencies never come.</summary>
    public const int MaxHeldPackets = 10_000;

    /// <summary>Most envelope bytes held at once: 64 MiB.</summary>
    public const long MaxHeldBytes = 64L * 1024 * 1024;

    /// <summary>Checks and stores (or holds) one envelope.</summary>
    /// <param name="envelope">The envelope bytes as received.</param>
    /// <param name="fromPeer">The peer it came from (node id), or null for a local packet.</param>
    /// <param name="expectedId">The id it was offered under, when there was one.</param>
    /// <param name="cancellationToken">Cancels the write while it waits in the queue.</param>
    public async Task<IntakeResult> AcceptAsync(byte[] envelope, string? fromPeer = null, byte[]? expectedId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var check = PacketVerifier.Verify(envelope, keys, expectedId);
        if (check.Packet is not { } packet)
        {
            return new IntakeResult(IntakeOutcome.Refused, check, null, [], []);
        }

        // Merged before the write (the clock may persist its ceiling through the writer).
        if (clock is not null && !clock.TryObserve(new HybridTimestamp(packet.Body.Hlc), out _))
        {
            return new IntakeResult(IntakeOutcome.ClockAhead, check, null, [], []);
        }

        return await writer.WriteAsync(context =>
        {
            if (context.FindPacket(packet.Id) is { } existing)
            {
                return new IntakeResult(context.RepairPacket(Record(packet.Id, packet.Envelope, packet.Body)) ? IntakeOutcome.Repaired : IntakeOutcome.Duplicate,
                    check, existing, [], []);
            }

            var missing = packet.Body.Dependencies.Select(d => d.ToByteArray()).Where(d => !context.HasPacket(d)).ToList();
            if (missing.Count > 0)
            {
                var held = context.HeldUsage();
                if (held.Packets >= maxHeldPackets || held.Bytes + packet.Envelope.Length > maxHeldBytes)
                {
                    return new IntakeResult(IntakeOutcome.HoldFull, check, null, [], missing);
                }

                context.HoldPacket(packet.Id, packet.Envelope, fromPeer, missing);
                return new IntakeResult(IntakeOutcome.Held, check, null, [], missing);
            }

            var seq = context.InsertPacket(Record(packet.Id, packet.Envelope, packet.Body)).Seq;
            var released = new List<byte[]>();
            var arrived = new Queue<byte[]>([packet.Id]);
            while (arrived.TryDequeue(out var id))
            {
                foreach (var (heldId, heldEnvelope) in context.ReleaseWaitingFor(id))
                {
                    // Checked when it was held; its body is decoded again only to index it.
                    var body = PacketBody.Parser.ParseFrom(Envelope.Parser.ParseFrom(heldEnvelope).Payload);
                    context.InsertPacket(Record(heldId, heldEnvelope, body));
                    released.Add(heldId);
                    arrived.Enqueue(heldId);
                }
            }

            return new IntakeResult(IntakeOutcome.Stored, check, seq, released, []);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static PacketRecord Record(byte[] id, byte[] envelope, PacketBody body) =>
        new(id, envelope, body.Topic, body.Key, body.Author, PacketKinds.Name(body.Kind), (long)body.Hlc,
            [.. body.Dependencies.Select(d => d.ToByteArray())]);
}
