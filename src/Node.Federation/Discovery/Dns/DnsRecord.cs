namespace Node.Federation.Discovery.Dns;

/// <summary>A resource record.</summary>
/// <param name="Name">Its owner name.</param>
/// <param name="Type">Its type; for a type this codec does not model, <paramref name="Data"/> is <see cref="OpaqueData"/>.</param>
/// <param name="Ttl">Time to live in seconds; 0 in a response is a goodbye (RFC 6762 §10.1).</param>
/// <param name="Data">The typed record data.</param>
/// <param name="CacheFlush">The cache-flush bit (RFC 6762 §10.2): this is the whole set for a unique name.</param>
/// <param name="Class">The class without the cache-flush bit, 1 (IN) in practice.</param>
public sealed record DnsRecord(DnsName Name, DnsRecordType Type, uint Ttl, DnsRecordData Data, bool CacheFlush = false, ushort Class = DnsQuestion.Internet)
{
    /// <summary>Whether the two have the same name, type, class and data (TTL and flush bit aside).</summary>
    public bool IsSameRecord(DnsRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Type == other.Type && Class == other.Class && Name.Equals(other.Name) && Data.Equals(other.Data);
    }

    /// <summary>This record with another TTL.</summary>
    public DnsRecord WithTtl(uint ttl) => this with { Ttl = ttl };
}
