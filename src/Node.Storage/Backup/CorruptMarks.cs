using System.Buffers.Binary;
using System.Text;
using Node.Storage.Packets;

namespace Node.Storage.Backup;

/// <summary>
/// The marks a restore told to keep packets that do not verify leaves for the next open (which
/// makes them, with their <c>packet.corrupt</c> entries, before anything can serve the packets):
/// per packet its 32-byte id, the reason's length (4 bytes big-endian) and the reason in UTF-8.
/// Kept in <c>store_info</c>, which every schema version has.
/// </summary>
internal static class CorruptMarks
{
    public static byte[] Encode(IReadOnlyList<CorruptPacket> packets)
    {
        using var bytes = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var packet in packets)
        {
            var reason = Encoding.UTF8.GetBytes(packet.Reason);
            bytes.Write(packet.Id);
            BinaryPrimitives.WriteInt32BigEndian(length, reason.Length);
            bytes.Write(length);
            bytes.Write(reason);
        }

        return bytes.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not marks this class wrote.</exception>
    public static IReadOnlyList<(byte[] Id, string Reason)> Decode(byte[] marks)
    {
        var decoded = new List<(byte[], string)>();
        var rest = marks.AsSpan();
        while (!rest.IsEmpty)
        {
            var length = rest.Length < 36 ? -1 : BinaryPrimitives.ReadInt32BigEndian(rest[32..36]);
            if (length < 0 || length > rest.Length - 36)
            {
                throw new InvalidDataException("The corrupt-packet marks a restore left are truncated.");
            }

            decoded.Add((rest[..32].ToArray(), Encoding.UTF8.GetString(rest.Slice(36, length))));
            rest = rest[(36 + length)..];
        }

        return decoded;
    }
}
