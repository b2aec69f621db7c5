using Google.Protobuf;
using Node.Protocol.Packets;

namespace Node.Federation.Sync;

/// <summary>Reads a packet's author from its envelope before it is verified: only to pick which offered keys to learn. Never throws.</summary>
internal static class PacketAuthor
{
    public static string? TryRead(ReadOnlySpan<byte> envelope)
    {
        try
        {
            var body = PacketBody.Parser.ParseFrom(Envelope.Parser.ParseFrom(envelope).Payload);
            return body.Author.Length is > 0 and <= Packets.PacketLimits.MaxNodeIdBytes ? body.Author : null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
