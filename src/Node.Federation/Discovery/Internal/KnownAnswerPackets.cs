// RFC 6762 §7.2 (multipacket known-answer suppression), §17 (packets kept within the MTU), §18.5 (TC in a query).
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

/// <summary>
/// Splits a query whose known answers do not fit in one packet: the questions and as many known
/// answers as fit go first, then the rest in packets without questions, every one but the last with
/// TC set, so that responders wait for the whole list before answering (RFC 6762 §7.2).
/// </summary>
internal static class KnownAnswerPackets
{
    /// <summary>
    /// The largest query we send, in bytes: a full Ethernet frame over IPv6 holds 1452 bytes of UDP
    /// payload; 1440 leaves room, as Apple's mDNSResponder does (RFC 6762 §17: no fragments).
    /// </summary>
    public const int MaxQueryBytes = 1440;

    /// <summary>
    /// The packets of one query, in sending order. A query whose questions alone are larger than
    /// <paramref name="maxBytes"/> goes with them all the same (up to <see cref="DnsMessage.MaxSize"/>),
    /// its known answers after it.
    /// </summary>
    public static List<DnsMessage> Split(IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsRecord> known, byte[] scratch, int maxBytes = MaxQueryBytes)
    {
        var packets = new List<DnsMessage>();
        var next = 0;
        var first = true;
        while (first || next < known.Count)
        {
            var asked = first ? questions : [];
            var count = Fitting(asked, known, next, scratch, maxBytes);
            if (count == 0 && !first)
            {
                count = 1; // a record larger than a packet on its own still goes, alone (it fits in 9000 bytes: it came in one)
            }

            var more = next + count < known.Count;
            packets.Add(new DnsMessage(0, more ? DnsMessage.TruncatedFlag : (ushort)0, asked, known.Skip(next).Take(count).ToArray()));
            next += count;
            first = false;
        }

        return packets;
    }

    // The most known answers from start on that fit beside the questions in maxBytes: a binary search,
    // since each added record only makes the message longer.
    private static int Fitting(IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsRecord> known, int start, byte[] scratch, int maxBytes)
    {
        int low = 0, high = known.Count - start;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Fits(questions, known, start, middle, scratch, maxBytes))
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private static bool Fits(IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsRecord> known, int start, int count, byte[] scratch, int maxBytes) =>
        new DnsMessage(0, DnsMessage.TruncatedFlag, questions, known.Skip(start).Take(count).ToArray()).TryWrite(scratch.AsSpan(0, Math.Min(maxBytes, scratch.Length)), out _);
}
