// RFC 1035 §4.1 (message format), RFC 6762 §18 (QU and cache-flush bits, compression in rdata).
using System.Net.Sockets;
using Node.Federation.Discovery.Dns.Internal;

namespace Node.Federation.Discovery.Dns;

public sealed partial class DnsMessage
{
    /// <summary>
    /// Writes the message with name compression (RFC 1035 §4.1.4), the QU bit on questions and the
    /// cache-flush bit on records (RFC 6762 §18.12–13). False when it does not fit in <paramref name="destination"/>
    /// or in <see cref="MaxSize"/> bytes; <paramref name="written"/> is then 0.
    /// </summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (Questions.Count > ushort.MaxValue || Answers.Count > ushort.MaxValue
            || Authorities.Count > ushort.MaxValue || Additionals.Count > ushort.MaxValue)
        {
            return false;
        }

        var writer = new DnsWireWriter(destination.Length > MaxSize ? destination[..MaxSize] : destination);
        if (!writer.TryWriteUInt16(Id) || !writer.TryWriteUInt16(Flags)
            || !writer.TryWriteUInt16((ushort)Questions.Count) || !writer.TryWriteUInt16((ushort)Answers.Count)
            || !writer.TryWriteUInt16((ushort)Authorities.Count) || !writer.TryWriteUInt16((ushort)Additionals.Count))
        {
            return false;
        }

        foreach (var question in Questions)
        {
            if (!writer.TryWriteName(question.Name) || !writer.TryWriteUInt16((ushort)question.Type)
                || !writer.TryWriteUInt16(WithTopBit(question.Class, question.UnicastResponse)))
            {
                return false;
            }
        }

        if (!TryWriteSection(ref writer, Answers) || !TryWriteSection(ref writer, Authorities) || !TryWriteSection(ref writer, Additionals))
        {
            return false;
        }

        written = writer.Position;
        return true;
    }

    private static ushort WithTopBit(ushort @class, bool set) => (ushort)(set ? @class | TopClassBit : @class & ~TopClassBit);

    private static bool TryWriteSection(ref DnsWireWriter writer, IReadOnlyList<DnsRecord> records)
    {
        foreach (var record in records)
        {
            if (!writer.TryWriteName(record.Name) || !writer.TryWriteUInt16((ushort)record.Type)
                || !writer.TryWriteUInt16(WithTopBit(record.Class, record.CacheFlush)) || !writer.TryWriteUInt32(record.Ttl))
            {
                return false;
            }

            var lengthAt = writer.Position;
            if (!writer.TryWriteUInt16(0) || !TryWriteData(ref writer, record.Data))
            {
                return false;
            }

            writer.PatchUInt16(lengthAt, (ushort)(writer.Position - lengthAt - 2));
        }

        return true;
    }

    private static bool TryWriteData(ref DnsWireWriter writer, DnsRecordData data)
    {
        switch (data)
        {
            case AddressData address:
                Span<byte> bytes = stackalloc byte[16];
                var length = address.Address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
                return address.Address.TryWriteBytes(bytes, out var count) && count == length && writer.TryWriteBytes(bytes[..count]);
            case PointerData pointer:
                return writer.TryWriteName(pointer.Target);
            case ServiceData service:
                return writer.TryWriteUInt16(service.Priority) && writer.TryWriteUInt16(service.Weight)
                    && writer.TryWriteUInt16(service.Port) && writer.TryWriteName(service.Target);
            case NsecData nsec:
                // The type bitmap follows the uncompressed next name in the canonical form.
                return writer.TryWriteName(nsec.NextName) && writer.TryWriteBytes(nsec.Canonical[nsec.NextName.WireLength..]);
            default:
                // TXT (whose canonical form is already one empty string when it has none), opaque data
                // and any other kind: their canonical bytes are their wire bytes.
                return writer.TryWriteBytes(data.Canonical);
        }
    }
}
