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

    /// <summary>Already stored (or, for quarantine, already waiting there); nothing changed.</summary>
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

    /// <summary>Its author (or a key the author rotated to) retracted it: refused, now and whenever it comes again.</summary>
    Retracted,

    /// <summary>From a sandbox peer: verified and put in quarantine until promoted or rejected.</summary>
    Quarantined,

    /// <summary>Rejected out of quarantine before: not taken again.</summary>
    Rejected,

    /// <summary>
    /// From a sandbox peer whose share of quarantine is full (<see cref="PacketIntake.MaxQuarantinedPerPeer"/>,
    /// <see cref="PacketIntake.MaxQuarantinedBytesPerPeer"/>): refused, to be offered again once promotions or rejections made room.
    /// </summary>
    QuarantineFull,
}

/// <summary>Where a verified packet goes: a core peer's (and our own) to the knowledge base, a sandbox peer's to quarantine.</summary>
public enum PacketDestination
{
    /// <summary>Stored, in the views, served to peers.</summary>
    KnowledgeBase,

    /// <summary>Kept aside, in no view, until a promotion or a rejection.</summary>
    Quarantine,
}

/// <summary>The result of <see cref="PacketIntake.AcceptAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Check">The packet check.</param>
/// <param name="Seq">The local receive sequence, when stored or a duplicate.</param>
/// <param name="Released">Ids of held packets stored because this one arrived.</param>
/// <param name="Missing">The dependencies it waits for, when held.</param>
public sealed record IntakeResult(IntakeOutcome Outcome, PacketCheck Check, long? Seq, IReadOnlyList<byte[]> Released, IReadOnlyList<byte[]> Missing)
{
    /// <summary>Whether the packet is now in the store in some form (stored, held, in quarantine) or known to be kept out for good.</summary>
    public bool IsSettled => Outcome is not (IntakeOutcome.HoldFull or IntakeOutcome.QuarantineFull or IntakeOutcome.ClockAhead or IntakeOutcome.Refused);
}

/// <summary>
/// Takes packets into the store: checks each (<see cref="PacketVerifier"/>; a batch on every core),
/// then in one transaction stores a valid one through the single writer — or holds it while a
/// dependency is missing, or quarantines it — applies a retraction's removals, refuses what was
/// retracted, and releases every held packet its arrival completes. Acknowledged only once durable.
/// </summary>
public sealed class PacketIntake(StoreWriter writer, IKeyDirectory keys, int maxHeldPackets = PacketIntake.MaxHeldPackets,
    long maxHeldBytes = PacketIntake.MaxHeldBytes, HybridClock? clock = null)
{
    /// <summary>Most packets held at once: a peer cannot fill the disk with packets whose dependencies never come.</summary>
    public const int MaxHeldPackets = 10_000;

    /// <summary>Most envelope bytes held at once: 64 MiB.</summary>
    public const long MaxHeldBytes = 64L * 1024 * 1024;

    /// <summary>Most packets one sandbox peer may have waiting in quarantine: it cannot fill the disk while nobody promotes them.</summary>
    public const int MaxQuarantinedPerPeer = 10_000;

    /// <summary>Most envelope bytes one sandbox peer may have waiting in quarantine: 64 MiB.</summary>
    public const long MaxQuarantinedBytesPerPeer = 64L * 1024 * 1024;

    /// <summary>Checks and stores (or holds) one envelope.</summary>
    /// <param name="envelope">The envelope bytes as received.</param>
    /// <param name="fromPeer">The peer it came from (node id), or null for a local packet.</param>
    /// <param name="expectedId">The id it was offered under, when there was one.</param>
    /// <param name="cancellationToken">Cancels the write while it waits in the queue.</param>
    public async Task<IntakeResult> AcceptAsync(byte[] envelope, string? fromPeer = null, byte[]? expectedId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var results = await AcceptBatchAsync([new OfferedPacket(envelope, expectedId)], fromPeer, PacketDestination.KnowledgeBase, cancellationToken)
            .ConfigureAwait(false);
        return results[0];
    }

    /// <summary>
    /// Checks a batch (signatures verified in parallel, on every core), then stores, holds or
    /// quarantines the valid ones in one transaction. One bad packet costs that packet only.
    /// </summary>
    /// <param name="offered">The envelopes as received, each with the id it was offered under when there was one.</param>
    /// <param name="fromPeer">The peer they came from, or null for local packets.</param>
    /// <param name="destination">The knowledge base (core peers, local) or quarantine (sandbox peers).</param>
    /// <param name="cancellationToken">Cancels the write while it waits in the queue.</param>
    /// <returns>One result per offered packet, in order.</returns>
    public async Task<IReadOnlyList<IntakeResult>> AcceptBatchAsync(IReadOnlyList<OfferedPacket> offered, string? fromPeer, PacketDestination destination,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offered);
        return await CommitAsync(Check(offered), fromPeer, destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first half of <see cref="AcceptBatchAsync"/>: checks a batch, signatures verified in
    /// parallel, without touching the store — so a caller can check the next batch while the writer
    /// commits this one (<see cref="CommitAsync"/>).
    /// </summary>
    public CheckedBatch Check(IReadOnlyList<OfferedPacket> offered)
    {
        ArgumentNullException.ThrowIfNull(offered);
        return new CheckedBatch(Verify(offered));
    }

    /// <summary>The second half of <see cref="AcceptBatchAsync"/>: stores, holds or quarantines a checked batch in one transaction.</summary>
    public async Task<IReadOnlyList<IntakeResult>> CommitAsync(CheckedBatch batch, string? fromPeer, PacketDestination destination,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (destination == PacketDestination.Quarantine && string.IsNullOrEmpty(fromPeer))
        {
            throw new ArgumentException("Only a peer's packets go to quarantine.", nameof(fromPeer));
        }

        var checks = batch.Checks;
        var results = new IntakeResult?[checks.Count];
        for (var i = 0; i < checks.Count; i++)
        {
            if (checks[i].Packet is not { } packet)
            {
                results[i] = new IntakeResult(IntakeOutcome.Refused, checks[i], null, [], []);
            }
            // Merged before the write (the clock may persist its ceiling through the writer).
            else if (clock is not null && !clock.TryObserve(new HybridTimestamp(packet.Body.Hlc), out _))
            {
                results[i] = new IntakeResult(IntakeOutcome.ClockAhead, checks[i], null, [], []);
            }
        }

        if (results.All(r => r is not null))
        {
            return results!;
        }

        return await writer.WriteAsync(context =>
        {
            var store = new IntakeWrite(context, maxHeldPackets, maxHeldBytes, [.. checks.Where((_, i) => results[i] is null).Select(c => c.Packet!)]);
            for (var i = 0; i < checks.Count; i++)
            {
                results[i] ??= store.Take(checks[i], fromPeer, destination);
            }

            return (IReadOnlyList<IntakeResult>)results!;
        }, cancellationToken).ConfigureAwait(false);
    }

    private PacketCheck[] Verify(IReadOnlyList<OfferedPacket> offered)
    {
        var checks = new PacketCheck[offered.Count];
        if (offered.Count == 1)
        {
            checks[0] = PacketVerifier.Verify(offered[0].Envelope, keys, offered[0].ExpectedId);
            return checks;
        }

        Parallel.For(0, offered.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => checks[i] = PacketVerifier.Verify(offered[i].Envelope, keys, offered[i].ExpectedId));
        return checks;
    }
}

/// <summary>A batch checked by <see cref="PacketIntake.Check"/>, to commit with <see cref="PacketIntake.CommitAsync"/>.</summary>
/// <param name="Checks">One check per offered packet, in order.</param>
public sealed record CheckedBatch(IReadOnlyList<PacketCheck> Checks);

/// <summary>An envelope offered to <see cref="PacketIntake"/>, with the id it was offered under when there was one.</summary>
/// <param name="Envelope">The bytes as received.</param>
/// <param name="ExpectedId">The id it was offered under (the payload must hash to it), or null.</param>
public sealed record OfferedPacket(byte[] Envelope, byte[]? ExpectedId = null);
