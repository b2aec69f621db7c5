// RFC 1035 §3.1 and §4.1.4 (names and compression), RFC 6762 §18.14 (compressed names in rdata),
// RFC 2782 (SRV), RFC 3596 (AAAA), RFC 4034 §4.1 (NSEC type bitmaps), RFC 6763 §6 (TXT).
using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Unicode;

namespace Node.Federation.Discovery.Dns.Internal;

/// <summary>
/// Reads names and record data from untrusted bytes. Never throws: every method returns false with an
/// error naming the problem and the offset it was found at.
/// </summary>
internal static class DnsWireReader
{
    /// <summary>Compression pointers one name may follow; more means a crafted packet.</summary>
    public const int MaxPointerJumps = 128;

    // What a failed read leaves in its out parameter.
    private static readonly OpaqueData Empty = new([]);

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
    /// Reads the data of a record of <paramref name="type"/> found at <paramref name="start"/>, exactly
    /// <paramref name="length"/> bytes long. Types this codec does not model come back as <see cref="OpaqueData"/>.
    /// </summary>
    public static bool TryReadData(ReadOnlySpan<byte> packet, DnsRecordType type, int start, int length, out DnsRecordData data, out string error)
    {
        var rdata = packet.Slice(start, length);
        switch (type)
        {
            case DnsRecordType.A:
            case DnsRecordType.Aaaa:
                var size = type == DnsRecordType.A ? 4 : 16;
                if (length != size)
                {
                    data = Empty;
                    error = $"{Name(type)} data must be {size} bytes; was {length}";
                    return false;
                }

                data = new AddressData(new IPAddress(rdata));
                error = "";
                return true;
            case DnsRecordType.Ptr:
                return TryReadPointer(packet, start, length, out data, out error);
            case DnsRecordType.Srv:
                return TryReadService(packet, start, length, out data, out error);
            case DnsRecordType.Txt:
                return TryReadText(rdata, out data, out error);
            case DnsRecordType.Nsec:
                return TryReadNsec(packet, start, length, out data, out error);
            default:
                data = new OpaqueData(rdata);
                error = "";
                return true;
        }
    }

    private static string End(ReadOnlySpan<byte> packet, int limit) =>
        limit == packet.Length ? $"the end of the packet at {limit}" : $"the end of the record data at {limit}";

    private static string Name(DnsRecordType type) => type switch
    {
        DnsRecordType.A => "A",
        DnsRecordType.Aaaa => "AAAA",
        DnsRecordType.Ptr => "PTR",
        DnsRecordType.Srv => "SRV",
        DnsRecordType.Txt => "TXT",
        DnsRecordType.Nsec => "NSEC",
        _ => $"type {(ushort)type}",
    };

    private static bool TryReadPointer(ReadOnlySpan<byte> packet, int start, int length, out DnsRecordData data, out string error)
    {
        var end = start + length;
        var position = start;
        if (!TryReadName(packet, ref position, end, out var target, out error))
        {
            data = Empty;
            error = $"PTR target: {error}";
            return false;
        }

        data = new PointerData(target);
        return ExactlyFilled("PTR", position, end, ref error);
    }

    private static bool TryReadService(ReadOnlySpan<byte> packet, int start, int length, out DnsRecordData data, out string error)
    {
        data = Empty;
        if (length < 7)
        {
            error = $"SRV data must be at least 7 bytes (priority, weight, port and a name); was {length}";
            return false;
        }

        var end = start + length;
        var position = start + 6;
        if (!TryReadName(packet, ref position, end, out var target, out error))
        {
            error = $"SRV target: {error}";
            return false;
        }

        data = new ServiceData(
            BinaryPrimitives.ReadUInt16BigEndian(packet[start..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[(start + 2)..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[(start + 4)..]),
            target);
        return ExactlyFilled("SRV", position, end, ref error);
    }

    private static bool TryReadText(ReadOnlySpan<byte> rdata, out DnsRecordData data, out string error)
    {
        var strings = new List<byte[]>();
        var position = 0;
        while (position < rdata.Length)
        {
            var length = rdata[position];
            if (position + 1 + length > rdata.Length)
            {
                data = Empty;
                error = $"TXT string {strings.Count + 1} of {length} bytes overruns the record data ({rdata.Length - position - 1} bytes left)";
                return false;
            }

            strings.Add(rdata.Slice(position + 1, length).ToArray());
            position += 1 + length;
        }

        data = new TextData(strings);
        error = "";
        return true;
    }

    private static bool TryReadNsec(ReadOnlySpan<byte> packet, int start, int length, out DnsRecordData data, out string error)
    {
        data = Empty;
        var end = start + length;
        var position = start;
        if (!TryReadName(packet, ref position, end, out var next, out error))
        {
            error = $"NSEC next name: {error}";
            return false;
        }

        var types = new List<DnsRecordType>();
        var previousWindow = -1;
        while (position < end)
        {
            if (position + 2 > end)
            {
                error = $"NSEC bitmap window at {position} is cut off: no length byte";
                return false;
            }

            int window = packet[position];
            int size = packet[position + 1];
            if (window <= previousWindow)
            {
                error = $"NSEC bitmap window {window} at {position} does not follow window {previousWindow} in ascending order";
                return false;
            }

            if (size is < 1 or > 32)
            {
                error = $"NSEC bitmap window {window} at {position} has length {size}; must be 1 to 32";
                return false;
            }

            if (position + 2 + size > end)
            {
                error = $"NSEC bitmap window {window} at {position} of {size} bytes overruns the record data";
                return false;
            }

            for (var i = 0; i < size; i++)
            {
                var bits = packet[position + 2 + i];
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((bits & (0x80 >> bit)) != 0)
                    {
                        types.Add((DnsRecordType)((window << 8) | (i << 3) | bit));
                    }
                }
            }

            previousWindow = window;
            position += 2 + size;
        }

        data = new NsecData(next, types);
        error = "";
        return true;
    }

    private static bool ExactlyFilled(string type, int position, int end, ref string error)
    {
        if (position != end)
        {
            error = $"{type} data has {end - position} bytes after the name";
            return false;
        }

        error = "";
        return true;
    }
}
