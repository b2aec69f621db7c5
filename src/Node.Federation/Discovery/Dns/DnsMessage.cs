namespace Node.Federation.Discovery.Dns;

/// <summary>
/// A DNS message as mDNS uses it (RFC 1035 §4, RFC 6762 §18). Reading never throws on bytes from
/// the network (<see cref="TryParse"/>); writing compresses names (<see cref="TryWrite"/>).
/// </summary>
public sealed partial class DnsMessage
{
    /// <summary>Largest message read or written, in bytes (RFC 6762 §17: 9000 at most).</summary>
    public const int MaxSize = 9000;

    /// <summary>Flag bit: this is a response (QR).</summary>
    public const ushort ResponseFlag = 0x8000;

    /// <summary>Flag bit: authoritative answer (AA); mDNS responses set it.</summary>
    public const ushort AuthoritativeFlag = 0x0400;

    /// <summary>Flag bit: truncated (TC); in an mDNS query, more known answers follow.</summary>
    public const ushort TruncatedFlag = 0x0200;

    /// <summary>A message of the given sections.</summary>
    public DnsMessage(ushort id, ushort flags, IReadOnlyList<DnsQuestion>? questions = null, IReadOnlyList<DnsRecord>? answers = null,
        IReadOnlyList<DnsRecord>? authorities = null, IReadOnlyList<DnsRecord>? additionals = null)
    {
        Id = id;
        Flags = flags;
        Questions = questions ?? [];
        Answers = answers ?? [];
        Authorities = authorities ?? [];
        Additionals = additionals ?? [];
    }

    /// <summary>The id; 0 in multicast mDNS, echoed in replies to legacy unicast queries.</summary>
    public ushort Id { get; }

    /// <summary>The flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE).</summary>
    public ushort Flags { get; }

    /// <summary>The questions.</summary>
    public IReadOnlyList<DnsQuestion> Questions { get; }

    /// <summary>The answer section.</summary>
    public IReadOnlyList<DnsRecord> Answers { get; }

    /// <summary>The authority section: a probe's proposed records (RFC 6762 §8.2).</summary>
    public IReadOnlyList<DnsRecord> Authorities { get; }

    /// <summary>The additional section.</summary>
    public IReadOnlyList<DnsRecord> Additionals { get; }

    /// <summary>
    /// What <see cref="TryParse"/> stepped over and left out, one entry per record or question, naming
    /// the section, its place and why (<c>additional 3: NSEC bitmap window 0 at 120 has length 0; must be 1 to 32</c>).
    /// Empty for a message made in code; never written.
    /// </summary>
    public IReadOnlyList<string> Skipped { get; private init; } = [];

    /// <summary>Whether this is a response (QR set).</summary>
    public bool IsResponse => (Flags & ResponseFlag) != 0;

    /// <summary>Whether TC is set.</summary>
    public bool IsTruncated => (Flags & TruncatedFlag) != 0;

    /// <summary>The opcode; mDNS ignores messages whose opcode is not 0 (RFC 6762 §18.3).</summary>
    public int Opcode => (Flags >> 11) & 0xF;

    /// <summary>The response code; mDNS ignores messages whose rcode is not 0 (RFC 6762 §18.11).</summary>
    public int ResponseCode => Flags & 0xF;

    /// <summary>A multicast query (id 0, no flags).</summary>
    public static DnsMessage Query(IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsRecord>? knownAnswers = null, IReadOnlyList<DnsRecord>? authorities = null) =>
        new(0, 0, questions, knownAnswers, authorities);

    /// <summary>A multicast response (id 0, QR and AA).</summary>
    public static DnsMessage Response(IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsRecord>? additionals = null) =>
        new(0, ResponseFlag | AuthoritativeFlag, null, answers, null, additionals);

    /// <summary>Every record in answer, authority and additional order.</summary>
    public IEnumerable<DnsRecord> AllRecords() => Answers.Concat(Authorities).Concat(Additionals);

    /// <summary>The message written into a new array; throws when it exceeds <paramref name="maxSize"/>.</summary>
    public byte[] ToArray(int maxSize = MaxSize)
    {
        var buffer = new byte[Math.Min(maxSize, MaxSize)];
        return TryWrite(buffer, out var written)
            ? buffer.AsSpan(0, written).ToArray()
            : throw new InvalidOperationException($"The message does not fit in {buffer.Length} bytes.");
    }
}
