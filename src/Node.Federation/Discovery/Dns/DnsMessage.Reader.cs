// RFC 1035 §4.1 (message format), RFC 6762 §18 (the mDNS uses of its fields).
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Node.Federation.Discovery.Dns.Internal;

namespace Node.Federation.Discovery.Dns;

public sealed partial class DnsMessage
{
    private const int HeaderSize = 12;
    private const int MinQuestionSize = 5;
    private const int MinRecordSize = 11;
    private const ushort TopClassBit = 0x8000;

    /// <summary>
    /// Reads a message from untrusted bytes. Never throws: malformed input (truncation, a compression
    /// pointer loop or forward pointer, a name over 255 bytes, counts the packet cannot hold, more
    /// than <see cref="MaxSize"/> bytes) comes back as false with <paramref name="error"/> naming it.
    /// Bytes after the last counted record are ignored.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, [NotNullWhen(true)] out DnsMessage? message, [NotNullWhen(false)] out string? error)
    {
        message = null;
        if (packet.Length > MaxSize)
        {
            error = $"packet of {packet.Length} bytes is over the {MaxSize}-byte maximum";
            return false;
        }

        if (packet.Length < HeaderSize)
        {
            error = $"header truncated: {packet.Length} of {HeaderSize} bytes";
            return false;
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        int questionCount = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        int answerCount = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        int authorityCount = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        int additionalCount = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);

        // Checked before any list is made, so a 12-byte packet cannot ask for 4 × 65535 entries.
        var needed = (questionCount * MinQuestionSize) + ((answerCount + authorityCount + additionalCount) * MinRecordSize);
        var left = packet.Length - HeaderSize;
        if (needed > left)
        {
            error = $"counts of {questionCount} questions, {answerCount} answers, {authorityCount} authorities and {additionalCount} additionals need at least {needed} bytes; {left} follow the header";
            return false;
        }

        var position = HeaderSize;
        var questions = new DnsQuestion[questionCount];
        for (var i = 0; i < questionCount; i++)
        {
            if (!TryReadQuestion(packet, ref position, out var question, out var problem))
            {
                error = $"question {i + 1}: {problem}";
                return false;
            }

            questions[i] = question;
        }

        if (!TryReadSection(packet, ref position, "answer", answerCount, out var answers, out error)
            || !TryReadSection(packet, ref position, "authority", authorityCount, out var authorities, out error)
            || !TryReadSection(packet, ref position, "additional", additionalCount, out var additionals, out error))
        {
            return false;
        }

        message = new DnsMessage(id, flags, questions, answers, authorities, additionals);
        error = null;
        return true;
    }

    private static bool TryReadQuestion(ReadOnlySpan<byte> packet, ref int position, [NotNullWhen(true)] out DnsQuestion? question, out string error)
    {
        question = null;
        if (!DnsNameReader.TryReadName(packet, ref position, packet.Length, out var name, out error))
        {
            return false;
        }

        if (position + 4 > packet.Length)
        {
            error = $"truncated at {position}: type and class need 4 bytes, {packet.Length - position} left";
            return false;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
        var rawClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]);
        position += 4;
        question = new DnsQuestion(name, type, (rawClass & TopClassBit) != 0, (ushort)(rawClass & ~TopClassBit));
        return true;
    }

    private static bool TryReadSection(ReadOnlySpan<byte> packet, ref int position, string section, int count,
        [NotNullWhen(true)] out DnsRecord[]? records, [NotNullWhen(false)] out string? error)
    {
        records = new DnsRecord[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryReadRecord(packet, ref position, out var record, out var problem))
            {
                records = null;
                error = $"{section} {i + 1}: {problem}";
                return false;
            }

            records[i] = record;
        }

        error = null;
        return true;
    }

    private static bool TryReadRecord(ReadOnlySpan<byte> packet, ref int position, [NotNullWhen(true)] out DnsRecord? record, out string error)
    {
        record = null;
        if (!DnsNameReader.TryReadName(packet, ref position, packet.Length, out var name, out error))
        {
            return false;
        }

        if (position + 10 > packet.Length)
        {
            error = $"truncated at {position}: type, class, TTL and rdlength need 10 bytes, {packet.Length - position} left";
            return false;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
        var rawClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(position + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 8)..]);
        position += 10;
        if (position + length > packet.Length)
        {
            error = $"rdlength {length} at {position - 2} runs past the end of the packet ({packet.Length - position} bytes left)";
            return false;
        }

        if (!DnsDataReader.TryReadData(packet, type, position, length, out var data, out error))
        {
            return false;
        }

        position += length;
        record = new DnsRecord(name, type, ttl, data, (rawClass & TopClassBit) != 0, (ushort)(rawClass & ~TopClassBit));
        return true;
    }
}
