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
    /// Reads a message from untrusted bytes. Never throws. A record (or question) that cannot be read
    /// but can be stepped over costs only itself: a name with a bad compression pointer, over 255 bytes
    /// or not UTF-8, record data its type does not allow (an A of 5 bytes, an NSEC with an empty
    /// bitmap window as python-zeroconf 0.47 writes) — it is left out and named in <see cref="Skipped"/>.
    /// Only a message whose framing cannot be followed comes back as false with <paramref name="error"/>
    /// naming why: a truncated header or record, an rdlength past the end, a name whose end cannot be
    /// found, counts the packet cannot hold, more than <see cref="MaxSize"/> bytes.
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
        List<string>? skipped = null;
        var questions = new List<DnsQuestion>(questionCount);
        for (var i = 0; i < questionCount; i++)
        {
            switch (TryReadQuestion(packet, ref position, out var question, out var problem))
            {
                case ReadOutcome.Read:
                    questions.Add(question!);
                    break;
                case ReadOutcome.Skipped:
                    (skipped ??= []).Add($"question {i + 1}: {problem}");
                    break;
                default:
                    error = $"question {i + 1}: {problem}";
                    return false;
            }
        }

        if (!TryReadSection(packet, ref position, "answer", answerCount, ref skipped, out var answers, out error)
            || !TryReadSection(packet, ref position, "authority", authorityCount, ref skipped, out var authorities, out error)
            || !TryReadSection(packet, ref position, "additional", additionalCount, ref skipped, out var additionals, out error))
        {
            return false;
        }

        message = new DnsMessage(id, flags, questions, answers, authorities, additionals) { Skipped = skipped ?? [] };
        error = null;
        return true;
    }

    // What reading one entry came to: read; stepped over (its bytes were framed but not readable); or the
    // framing itself is lost, so nothing after it can be found.
    private enum ReadOutcome
    {
        Read,
        Skipped,
        Lost,
    }

    private static ReadOutcome TryReadQuestion(ReadOnlySpan<byte> packet, ref int position, out DnsQuestion? question, out string error)
    {
        question = null;
        var nameRead = TryReadOwnerName(packet, ref position, out var name, out error);
        if (nameRead == ReadOutcome.Lost)
        {
            return ReadOutcome.Lost;
        }

        if (position + 4 > packet.Length)
        {
            error = $"truncated at {position}: type and class need 4 bytes, {packet.Length - position} left";
            return ReadOutcome.Lost;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
        var rawClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]);
        position += 4;
        if (nameRead == ReadOutcome.Skipped)
        {
            return ReadOutcome.Skipped;
        }

        question = new DnsQuestion(name, type, (rawClass & TopClassBit) != 0, (ushort)(rawClass & ~TopClassBit));
        return ReadOutcome.Read;
    }

    private static bool TryReadSection(ReadOnlySpan<byte> packet, ref int position, string section, int count, ref List<string>? skipped,
        [NotNullWhen(true)] out List<DnsRecord>? records, [NotNullWhen(false)] out string? error)
    {
        records = new List<DnsRecord>(count);
        for (var i = 0; i < count; i++)
        {
            switch (TryReadRecord(packet, ref position, out var record, out var problem))
            {
                case ReadOutcome.Read:
                    records.Add(record!);
                    break;
                case ReadOutcome.Skipped:
                    (skipped ??= []).Add($"{section} {i + 1}: {problem}");
                    break;
                default:
                    records = null;
                    error = $"{section} {i + 1}: {problem}";
                    return false;
            }
        }

        error = null;
        return true;
    }

    private static ReadOutcome TryReadRecord(ReadOnlySpan<byte> packet, ref int position, out DnsRecord? record, out string error)
    {
        record = null;
        var nameRead = TryReadOwnerName(packet, ref position, out var name, out error);
        if (nameRead == ReadOutcome.Lost)
        {
            return ReadOutcome.Lost;
        }

        if (position + 10 > packet.Length)
        {
            error = $"truncated at {position}: type, class, TTL and rdlength need 10 bytes, {packet.Length - position} left";
            return ReadOutcome.Lost;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
        var rawClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(position + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 8)..]);
        position += 10;
        if (position + length > packet.Length)
        {
            error = $"rdlength {length} at {position - 2} runs past the end of the packet ({packet.Length - position} bytes left)";
            return ReadOutcome.Lost;
        }

        var start = position;
        position += length;
        if (nameRead == ReadOutcome.Skipped)
        {
            return ReadOutcome.Skipped;
        }

        // The rdlength says where the next record starts, whatever the data holds: bad data costs this record only.
        if (!DnsDataReader.TryReadData(packet, type, start, length, out var data, out error))
        {
            return ReadOutcome.Skipped;
        }

        record = new DnsRecord(name, type, ttl, data, (rawClass & TopClassBit) != 0, (ushort)(rawClass & ~TopClassBit));
        return ReadOutcome.Read;
    }

    // A name that cannot be read but whose bytes in place end where they should (a bad pointer, an invalid
    // label, too long) is stepped over; one whose end cannot be found loses the framing.
    private static ReadOutcome TryReadOwnerName(ReadOnlySpan<byte> packet, ref int position, out DnsName name, out string error)
    {
        var start = position;
        if (DnsNameReader.TryReadName(packet, ref position, packet.Length, out name, out error))
        {
            return ReadOutcome.Read;
        }

        position = start;
        return DnsNameReader.TrySkipName(packet, ref position, packet.Length) ? ReadOutcome.Skipped : ReadOutcome.Lost;
    }
}
