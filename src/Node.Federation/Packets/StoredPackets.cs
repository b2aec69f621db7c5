using Node.Storage;
using Node.Storage.Packets;

namespace Node.Federation.Packets;

/// <summary>
/// Checks packets the store holds, with the intake's own verifier (<see cref="PacketVerifier"/>):
/// the bytes must still hash to the id they are stored under, keep every limit, be signed by their
/// author, and agree with the columns the store finds them by (a packet whose stored topic was
/// changed would be served in the wrong slot). Never throws on bad bytes.
/// </summary>
public static class StoredPackets
{
    /// <summary>The full check, signature included (a scrub, a restore).</summary>
    /// <param name="stored">The packet as stored.</param>
    /// <param name="keys">Authors' keys; an author not in it leaves the packet <see cref="StoredPacketState.Unverified"/>.</param>
    public static StoredPacketCheck Verify(StoredPacket stored, IKeyDirectory keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var integrity = CheckIntegrity(stored);
        if (!integrity.IsIntact)
        {
            return integrity;
        }

        var check = PacketVerifier.Verify(stored.Packet.Envelope, keys, stored.Packet.Id);
        return check.Outcome switch
        {
            PacketOutcome.Valid => integrity,
            PacketOutcome.UnknownKey => integrity with { State = StoredPacketState.Unverified, Reason = check.Detail },
            _ => Corrupt(check),
        };
    }

    /// <summary>
    /// The cheap check, without the signature (the read path): id, shape, limits and the columns
    /// it is found by. An Ed25519 verification per packet served would cost more than the read;
    /// the signature was verified when the packet was stored, and a scrub verifies it again.
    /// </summary>
    public static StoredPacketCheck CheckIntegrity(StoredPacket stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var packet = stored.Packet;
        if (packet.Id.Length != 32)
        {
            return new StoredPacketCheck(StoredPacketState.Corrupt, null, $"its stored id is {packet.Id.Length} bytes, not 32");
        }

        var check = PacketVerifier.VerifyIntegrity(packet.Envelope, packet.Id);
        if (check.Packet is not { Body: var body })
        {
            return Corrupt(check);
        }

        var differ = new List<string>(5);
        if (packet.Topic != body.Topic)
        {
            differ.Add("topic");
        }

        if (packet.Key != body.Key)
        {
            differ.Add("key");
        }

        if (packet.Author != body.Author)
        {
            differ.Add("author");
        }

        if (packet.Kind != PacketKinds.Name(body.Kind))
        {
            differ.Add("kind");
        }

        if (packet.Hlc != (long)body.Hlc)
        {
            differ.Add("hlc");
        }

        return differ.Count == 0
            ? new StoredPacketCheck(StoredPacketState.Sound, body, null)
            : new StoredPacketCheck(StoredPacketState.Corrupt, null, $"its stored {string.Join(", ", differ)} {(differ.Count == 1 ? "does" : "do")} not match its signed body");
    }

    /// <summary>
    /// Verifies every packet <paramref name="reader"/> holds, <paramref name="batchSize"/> at a
    /// time (keyset paging by receive sequence: memory stays bounded however many there are).
    /// </summary>
    public static PacketScan VerifyAll(StoreReader reader, IKeyDirectory keys, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        long verified = 0, unverified = 0, after = 0;
        var corrupt = new List<CorruptPacket>();
        IReadOnlyList<StoredPacket> batch;
        do
        {
            batch = reader.Packets.ForScrub(after, batchSize);
            foreach (var stored in batch)
            {
                var check = Verify(stored, keys);
                verified++;
                if (check.State == StoredPacketState.Unverified)
                {
                    unverified++;
                }
                else if (check.State == StoredPacketState.Corrupt)
                {
                    corrupt.Add(new CorruptPacket(stored.Packet.Id, stored.Seq, check.Reason!));
                }

                after = stored.Seq;
            }
        }
        while (batch.Count == batchSize);

        return new PacketScan(verified, unverified, corrupt);
    }

    /// <summary>
    /// The keys to verify a store's packets with: <paramref name="own"/> (this node's, when known),
    /// its former keys (from its own rotation statements) and those recorded for its peers.
    /// </summary>
    public static KeyDirectory Keys(StoreReader reader, ReadOnlySpan<byte> own)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var keys = new KeyDirectory();
        if (!own.IsEmpty)
        {
            keys.Add(own);
        }

        foreach (var rotation in reader.OwnRotations.All())
        {
            // This node's former keys: the packets it signed before a rotation are its own.
            if (Identity.KeyRotations.Verify(rotation.Statement) is { IsValid: true, OldPublicKey: { } former })
            {
                keys.Add(former);
            }
        }

        foreach (var (_, key) in reader.Peers.PublicKeys())
        {
            // A stored key of the wrong size is no key: its packets stay unverified, which a scrub reports.
            if (key.Length == 32)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static StoredPacketCheck Corrupt(PacketCheck check) =>
        new(StoredPacketState.Corrupt, null, check.Detail ?? check.Outcome.ToString());
}
