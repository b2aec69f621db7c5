// RFC 1035 §3.1 and §4.1.4 (names and compression), RFC 6762 §18.14 (compressed names in rdata).
using System.Text;
using System.Text.Unicode;

namespace Node.Federation.Discovery.Dns.Internal;

/// <summary>
/// Reads names from untrusted bytes. Never throws: a malformed name comes back as false with an error
/// naming the problem and the offset it was found at.
/// </summary>
internal static class DnsNameReader
{
    /// <summary>Compression pointers one name may follow; more means a crafted packet.</summary>
    public const int MaxPointerJumps = 128;

    /// <summary>
    /// Reads a name starting at <paramref name="position"/>. The labels and the terminating zero or pointer
    /// read in place must end at or before <paramref name="end"/> (the rdata's end for names inside rdata);
    /// a pointer may reach any earlier offset of the packet. On success <paramref name="position"/> is
    /// just past the name as it sits in place.
    /// </summary>
    public static bool TryReadName(ReadOnlySpan<byte> packet, ref int position, int end, out DnsName name, out string error)
    {
        name = DnsName.Root;
        List<string>? labels = null;
        var cursor = position;
        var limit = end;
        var resumeAt = -1;
        var jumps = 0;
        var wireLength = 1;
        while (true)
        {
            if (cursor >= limit)
            {
                error = $"name at {position} runs past {End(packet, limit)}";
                return false;
            }

            var length = packet[cursor];
            switch (length & 0xC0)
            {
                case 0x00:
                    break;
                case 0xC0:
                    if (cursor + 1 >= limit)
                    {
                        error = $"compression pointer at {cursor} is cut off at {limit}";
                        return false;
                    }

                    var target = ((length & 0x3F) << 8) | packet[cursor + 1];
                    if (target == cursor)
                    {
                        error = $"compression pointer at {cursor} points to itself";
                        return false;
                    }

                    if (target > cursor)
                    {
                        error = $"compression pointer at {cursor} points forward to {target}";
                        return false;
                    }

                    if (++jumps > MaxPointerJumps)
                    {
                        error = $"name at {position} follows more than {MaxPointerJumps} compression pointers";
                        return false;
                    }

                    if (resumeAt < 0)
                    {
                        resumeAt = cursor + 2;
                    }

                    // Labels reached through a pointer were written earlier in the packet; they may run
                    // up to its end, but the pointer rule above keeps every jump going backward.
                    cursor = target;
                    limit = packet.Length;
                    continue;
                default:
                    error = $"label at {cursor}: length byte 0x{length:X2} is neither a label of at most {DnsName.MaxLabelBytes} bytes nor a compression pointer";
                    return false;
            }

            if (length == 0)
            {
                cursor++;
                break;
            }

            wireLength += 1 + length;
            if (wireLength > DnsName.MaxWireBytes)
            {
                error = $"name at {position} is longer than {DnsName.MaxWireBytes} bytes";
                return false;
            }

            if (cursor + 1 + length > limit)
            {
                error = $"label at {cursor} of {length} bytes runs past {End(packet, limit)}";
                return false;
            }

            var bytes = packet.Slice(cursor + 1, length);
            if (!Utf8.IsValid(bytes))
            {
                error = $"label at {cursor} is not valid UTF-8";
                return false;
            }

            (labels ??= new List<string>(4)).Add(Encoding.UTF8.GetString(bytes));
            cursor += 1 + length;
        }

        position = resumeAt >= 0 ? resumeAt : cursor;
        if (labels is null)
        {
            error = "";
            return true;
        }

        // The checks above are the ones TryCreate makes (a label is 1..63 bytes as 0x00 type bits allow),
        // so this cannot fail; it is kept as a value all the same.
        if (!DnsName.TryCreate(labels, out name, out var invalid))
        {
            error = $"name at {position}: {invalid}";
            return false;
        }

        error = "";
        return true;
    }

    /// <summary>
    /// Steps over a name as it sits in place, without reading it: labels up to a zero byte or a
    /// compression pointer, ending at or before <paramref name="end"/>. False when its end cannot be
    /// found (it runs past <paramref name="end"/>, or a length byte is of the reserved 0x40/0x80 kinds,
    /// whose length is unknown); on success <paramref name="position"/> is just past the name.
    /// </summary>
    public static bool TrySkipName(ReadOnlySpan<byte> packet, ref int position, int end)
    {
        var cursor = position;
        while (cursor < end)
        {
            var length = packet[cursor];
            switch (length & 0xC0)
            {
                case 0x00 when length == 0:
                    position = cursor + 1;
                    return true;
                case 0x00:
                    cursor += 1 + length;
                    break;
                case 0xC0 when cursor + 2 <= end:
                    position = cursor + 2;
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    private static string End(ReadOnlySpan<byte> packet, int limit) =>
        limit == packet.Length ? $"the end of the packet at {limit}" : $"the end of the record data at {limit}";
}
