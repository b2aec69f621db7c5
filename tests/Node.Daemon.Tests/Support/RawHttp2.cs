using System.Buffers.Binary;
using System.Text;

namespace Node.Daemon.Tests.Support;

/// <summary>
/// HTTP/2 frames written and read by hand (RFC 9113 §4), for requests no well-behaved client would
/// send — HttpClient keeps to the server's SETTINGS_MAX_HEADER_LIST_SIZE, so it cannot test the
/// server's own header limits. Header blocks use HPACK literals without indexing (RFC 7541 §6.2.2).
/// </summary>
public static class RawHttp2
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, GoAway = 0x7;

    public const byte EndStream = 0x1, EndHeaders = 0x4;

    /// <summary>The client connection preface and an empty SETTINGS frame.</summary>
    public static byte[] Preface() => [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. Frame(Settings, 0, 0, [])];

    /// <summary>One frame: 24-bit length, type, flags, 31-bit stream id, payload.</summary>
    public static byte[] Frame(byte type, byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream & int.MaxValue);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>A header block of <paramref name="fields"/>, each a literal with a new name, never indexed.</summary>
    public static byte[] HeaderBlock(IEnumerable<(string Name, string Value)> fields)
    {
        var block = new List<byte>();
        foreach (var (name, value) in fields)
        {
            block.Add(0x00);
            AddString(block, name);
            AddString(block, value);
        }

        return [.. block];
    }

    /// <summary>The next frame, or null when the connection ended.</summary>
    public static async Task<(byte Type, byte Flags, int Stream, byte[] Payload)?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[9];
        if (!await FillAsync(stream, head, cancellationToken))
        {
            return null;
        }

        var payload = new byte[(head[0] << 16) | (head[1] << 8) | head[2]];
        if (!await FillAsync(stream, payload, cancellationToken))
        {
            return null;
        }

        return (head[3], head[4], BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(5)) & int.MaxValue, payload);
    }

    // RFC 7541 §5.2, no Huffman: the length as a 7-bit prefix integer (§5.1), then the octets.
    private static void AddString(List<byte> block, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var length = bytes.Length;
        if (length < 127)
        {
            block.Add((byte)length);
        }
        else
        {
            block.Add(127);
            length -= 127;
            while (length >= 128)
            {
                block.Add((byte)((length & 0x7F) | 0x80));
                length >>= 7;
            }

            block.Add((byte)length);
        }

        block.AddRange(bytes);
    }

    private static async Task<bool> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            }
            catch (IOException)
            {
                return false; // reset
            }

            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }
}
