using Node.Federation.Identity;
using Node.Protocol.Packets;

namespace Node.Federation.Packets;

/// <summary>A packet whose envelope checked out: its id, decoded body and the envelope bytes exactly as received.</summary>
/// <param name="Id">SHA-256 of the payload.</param>
/// <param name="Author">The author's node id (parsed and checked).</param>
/// <param name="Body">The decoded body.</param>
/// <param name="Envelope">The envelope bytes, to store and forward unchanged.</param>
public sealed record VerifiedPacket(byte[] Id, NodeId Author, PacketBody Body, byte[] Envelope);

/// <summary>The result of <see cref="PacketVerifier.Verify"/>: an outcome, and the packet when it is valid.</summary>
/// <param name="Outcome">What was found.</param>
/// <param name="Packet">The packet, when <see cref="PacketOutcome.Valid"/>.</param>
/// <param name="Detail">Why it was refused, for logs (never key material).</param>
public readonly record struct PacketCheck(PacketOutcome Outcome, VerifiedPacket? Packet, string? Detail)
{
    /// <summary>Whether the packet is valid.</summary>
    public bool IsValid => Outcome == PacketOutcome.Valid;
}
