using Google.Protobuf;
using Node.Protocol.Packets;

namespace Node.Federation.Packets;

/// <summary>
/// The body inside an envelope, decoded without a check: for bytes verified before (stored, held,
/// quarantined packets) or to peek before verifying (which keys to learn). Verifying is
/// <see cref="PacketVerifier"/>'s job.
/// </summary>
public static class PacketBodies
{
    /// <summary>The body of <paramref name="envelope"/>.</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not an envelope holding a body.</exception>
    public static PacketBody Read(ReadOnlySpan<byte> envelope) => PacketBody.Parser.ParseFrom(Envelope.Parser.ParseFrom(envelope).Payload);

    /// <summary>
    /// The id <paramref name="envelope"/>'s payload hashes to (SHA-256), without any other check; null
    /// when the bytes are not an envelope. Never throws.
    /// </summary>
    public static byte[]? TryReadId(ReadOnlySpan<byte> envelope)
    {
        try
        {
            return System.Security.Cryptography.SHA256.HashData(Envelope.Parser.ParseFrom(envelope).Payload.Span);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>The body of <paramref name="envelope"/>, or null when the bytes do not decode. Never throws.</summary>
    public static PacketBody? TryRead(ReadOnlySpan<byte> envelope)
    {
        try
        {
            return Read(envelope);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
