// RFC 1035 §3.3, RFC 2782 (SRV), RFC 3596 (AAAA), RFC 4034 §4.1 (NSEC type bitmaps), RFC 6763 §6 (TXT),
// RFC 6762 §18.14 (names inside PTR, SRV and NSEC data may be compressed).
using System.Buffers.Binary;
using System.Net;

namespace Node.Federation.Discovery.Dns.Internal;

/// <summary>
/// Reads record data from untrusted bytes by type. Never throws: malformed data comes back as false
/// with an error naming the problem.
/// </summary>
internal static class DnsDataReader
{
    // What a failed read leaves in its out parameter.
    private static readonly OpaqueData Empty = new([]);

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
        if (!DnsNameReader.TryReadName(packet, ref position, end, out var target, out error))
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
        if (!DnsNameReader.TryReadName(packet, ref position, end, out var target, out error))
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
        if (!DnsNameReader.TryReadName(packet, ref position, end, out var next, out error))
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
