namespace Node.Storage.Packets;

/// <summary>
/// A verified packet as the store keeps it: the envelope exactly as received, plus the fields
/// it is found by. Verification happens before this (the federation layer's job).
/// </summary>
/// <param name="Id">SHA-256 of the payload, 32 bytes.</param>
/// <param name="Envelope">The envelope bytes exactly as received; never re-serialized.</param>
/// <param name="Topic">The topic of the slot it fills.</param>
/// <param name="Key">The key of the slot it fills.</param>
/// <param name="Author">The author's node id.</param>
/// <param name="Kind">observation, insight, summary, decision, note, retraction, …</param>
/// <param name="Hlc">Its hybrid-logical-clock timestamp.</param>
/// <param name="Scope">Who may receive it: the views it is in.</param>
/// <param name="Dependencies">Ids of the packets it builds on.</param>
public sealed record PacketRecord(byte[] Id, byte[] Envelope, string Topic, string Key, string Author, string Kind, long Hlc,
    PacketScope Scope, IReadOnlyList<byte[]>? Dependencies = null);

/// <summary>A packet as stored, with its local receive sequence.</summary>
/// <param name="Seq">The local receive sequence (increasing, never reused).</param>
/// <param name="ReceivedAt">When it was stored, Unix milliseconds.</param>
/// <param name="Packet">The packet.</param>
public sealed record StoredPacket(long Seq, long ReceivedAt, PacketRecord Packet);

/// <summary>What storing a packet did.</summary>
/// <param name="Inserted">False when a packet with that id was already stored (nothing changed).</param>
/// <param name="Seq">Its local receive sequence (the existing one when not inserted).</param>
public readonly record struct PacketInsert(bool Inserted, long Seq);
