namespace Node.Federation.Discovery.Dns;

/// <summary>The resource record types mDNS service discovery uses (RFC 1035, 2782, 3596, 4034).</summary>
public enum DnsRecordType : ushort
{
    /// <summary>An IPv4 address.</summary>
    A = 1,

    /// <summary>A pointer to another name: service type to instance (RFC 6763).</summary>
#pragma warning disable CA1720 // PTR is the record type's name in RFC 1035, not a pointer type
    Ptr = 12,
#pragma warning restore CA1720

    /// <summary>Key=value strings (RFC 6763 §6).</summary>
    Txt = 16,

    /// <summary>An IPv6 address.</summary>
    Aaaa = 28,

    /// <summary>Where a service instance runs: host and port.</summary>
    Srv = 33,

    /// <summary>Which types a name has (RFC 6762 §6.1 negative responses).</summary>
    Nsec = 47,

    /// <summary>In a question: every type (probes ask this).</summary>
    Any = 255,
}
