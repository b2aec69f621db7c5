using System.Net;
using System.Net.Sockets;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

/// <summary>
/// The records this node owns on one interface for one name attempt: PTR (shared), SRV and TXT of
/// the instance and A/AAAA of the host (unique, sent with the cache-flush bit). TTLs as RFC 6762
/// §10 recommends: 120 s for records naming a host, 75 minutes for the others.
/// </summary>
internal sealed class ServiceRecords
{
    public const uint HostTtlSeconds = 120;
    public const uint OtherTtlSeconds = 4500;

    /// <summary>The DNS-SD service-type enumeration name (RFC 6763 §9).</summary>
    public static readonly DnsName ServicesName = DnsName.Parse("_services._dns-sd._udp.local");

    public ServiceRecords(ServiceProfile profile, int attempt, IReadOnlyList<IPAddress> addresses)
    {
        Instance = profile.Instance(attempt);
        Host = profile.Host(attempt);
        Pointer = new DnsRecord(ServiceProfile.ServiceType, DnsRecordType.Ptr, OtherTtlSeconds, new PointerData(Instance));
        Enumeration = new DnsRecord(ServicesName, DnsRecordType.Ptr, OtherTtlSeconds, new PointerData(ServiceProfile.ServiceType));
        Service = new DnsRecord(Instance, DnsRecordType.Srv, HostTtlSeconds, new ServiceData(0, 0, (ushort)profile.Port, Host), CacheFlush: true);
        Text = new DnsRecord(Instance, DnsRecordType.Txt, OtherTtlSeconds, TextData.FromPairs(profile.TxtPairs()), CacheFlush: true);
        Addresses = addresses
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || a.AddressFamily == AddressFamily.InterNetworkV6)
            .Select(a => new DnsRecord(Host, a.AddressFamily == AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.Aaaa, HostTtlSeconds,
                new AddressData(WithoutScope(a)), CacheFlush: true))
            .ToArray();
        Unique = [Service, Text, .. Addresses];
        All = [Pointer, Enumeration, .. Unique];
    }

    public DnsName Instance { get; }

    public DnsName Host { get; }

    public DnsRecord Pointer { get; }

    public DnsRecord Enumeration { get; }

    public DnsRecord Service { get; }

    public DnsRecord Text { get; }

    public IReadOnlyList<DnsRecord> Addresses { get; }

    /// <summary>The records only this node may hold (probed, defended).</summary>
    public IReadOnlyList<DnsRecord> Unique { get; }

    public IReadOnlyList<DnsRecord> All { get; }

    /// <summary>Whether <paramref name="name"/> is one of the two names this node claims.</summary>
    public bool Owns(DnsName name) => name.Equals(Instance) || name.Equals(Host);

    /// <summary>Our records that answer <paramref name="question"/>.</summary>
    public IEnumerable<DnsRecord> Answering(DnsQuestion question) => All.Where(question.IsAnsweredBy);

    /// <summary>
    /// The records RFC 6763 §12 says to add to an answer: SRV, TXT and addresses for a PTR; addresses for an SRV.
    /// </summary>
    public IEnumerable<DnsRecord> AdditionalFor(IReadOnlyCollection<DnsRecord> answers)
    {
        var extra = new List<DnsRecord>();
        if (answers.Any(a => a.Type == DnsRecordType.Ptr && ReferenceEquals(a, Pointer)))
        {
            extra.Add(Service);
            extra.Add(Text);
        }

        if (extra.Count > 0 || answers.Any(a => a.Type == DnsRecordType.Srv))
        {
            extra.AddRange(Addresses);
        }

        return extra.Where(e => !answers.Contains(e)).Distinct();
    }

    /// <summary>
    /// An NSEC for a name we own asked for a type we lack (RFC 6762 §6.1), or null.
    /// </summary>
    public DnsRecord? Negative(DnsQuestion question)
    {
        if (question.Type == DnsRecordType.Any || !Owns(question.Name) || Answering(question).Any())
        {
            return null;
        }

        var types = Unique.Where(r => r.Name.Equals(question.Name)).Select(r => r.Type).ToArray();
        var ttl = question.Name.Equals(Host) ? HostTtlSeconds : OtherTtlSeconds;
        return new DnsRecord(question.Name, DnsRecordType.Nsec, ttl, new NsecData(question.Name, types), CacheFlush: true);
    }

    /// <summary>Our unique records of <paramref name="name"/>, the set a probe proposes for it.</summary>
    public IReadOnlyList<DnsRecord> UniqueOf(DnsName name) => Unique.Where(r => r.Name.Equals(name)).ToArray();

    private static IPAddress WithoutScope(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
}
