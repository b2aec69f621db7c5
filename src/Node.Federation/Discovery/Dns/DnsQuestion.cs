namespace Node.Federation.Discovery.Dns;

/// <summary>A question: which records of <paramref name="Name"/> and <paramref name="Type"/> are wanted.</summary>
/// <param name="Name">The name asked about.</param>
/// <param name="Type">The type asked for; <see cref="DnsRecordType.Any"/> for all.</param>
/// <param name="UnicastResponse">The QU bit (RFC 6762 §5.4): the asker prefers a unicast answer.</param>
/// <param name="Class">The class, 1 (IN) in practice, without the QU bit.</param>
public sealed record DnsQuestion(DnsName Name, DnsRecordType Type, bool UnicastResponse = false, ushort Class = DnsQuestion.Internet)
{
    /// <summary>The Internet class.</summary>
    public const ushort Internet = 1;

    /// <summary>Whether <paramref name="record"/> answers this question (name, type or ANY, class or ANY).</summary>
    public bool IsAnsweredBy(DnsRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (Type == DnsRecordType.Any || Type == record.Type)
            && (Class == 255 || Class == record.Class)
            && Name.Equals(record.Name);
    }
}
