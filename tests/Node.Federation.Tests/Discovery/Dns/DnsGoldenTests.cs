using System.Net;
using System.Text;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Tests.Discovery.Dns;

/// <summary>
/// Datagrams captured from Avahi 0.8 and python-zeroconf 0.47 (see Golden/README.md): read exactly, and
/// written back byte for byte; zeroconf's malformed NSEC costs only itself.
/// </summary>
public sealed class DnsGoldenTests
{
    private static readonly DnsName Service = DnsName.Parse("_sovereign._tcp.local");
    private static readonly DnsName Instance = Service.Prepend("golden test");
    private static readonly DnsName Host = DnsName.Parse("golden-host.local");
    private static readonly IPAddress V4 = IPAddress.Parse("10.53.0.1"); // Avahi's and zeroconf's, each in its capture
    private static readonly IPAddress V6 = IPAddress.Parse("fd53::1");
    private static readonly DnsName V4Reverse = DnsName.Parse("1.0.53.10.in-addr.arpa");
    private static readonly DnsName V6Reverse = DnsName.Parse(string.Join('.', Convert.ToHexStringLower(V6.GetAddressBytes()).Reverse()) + ".ip6.arpa");

    private static readonly DnsRecord Ptr = new(Service, DnsRecordType.Ptr, 4500, new PointerData(Instance));
    private static readonly DnsRecord Srv = new(Instance, DnsRecordType.Srv, 120, new ServiceData(0, 0, 8102, Host), CacheFlush: true);
    private static readonly DnsRecord Txt = new(Instance, DnsRecordType.Txt, 4500, TextData.FromPairs([new("id", "ABC"), new("proto", "1")]), CacheFlush: true);
    private static readonly DnsRecord A = new(Host, DnsRecordType.A, 120, new AddressData(V4), CacheFlush: true);
    private static readonly DnsRecord Aaaa = new(Host, DnsRecordType.Aaaa, 120, new AddressData(V6), CacheFlush: true);

    private static readonly DnsName ZcInstance = Service.Prepend("golden zc");
    private static readonly DnsName ZcHost = DnsName.Parse("golden-zc.local");
    private static readonly DnsRecord ZcPtr = new(Service, DnsRecordType.Ptr, 4500, new PointerData(ZcInstance));
    private static readonly DnsRecord ZcSrv = new(ZcInstance, DnsRecordType.Srv, 120, new ServiceData(0, 0, 8102, ZcHost), CacheFlush: true);
    private static readonly DnsRecord ZcTxt = new(ZcInstance, DnsRecordType.Txt, 4500, TextData.FromPairs([new("id", "ABC"), new("proto", "1")]), CacheFlush: true);
    private static readonly DnsRecord ZcA = new(ZcHost, DnsRecordType.A, 120, new AddressData(V4), CacheFlush: true);

    public static TheoryData<string> Captures => ["host-probe", "service-probe", "announcement", "query-response", "browse-query", "zeroconf-probe", "zeroconf-announcement"];

    private static byte[] Load(string name) =>
        Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Discovery", "Dns", "Golden", name + ".hex")).Trim());

    private static DnsMessage Read(string name) => DnsAssert.Parses(Load(name));

    [Fact]
    public void Avahis_service_probe_asks_ANY_for_the_instance_and_proposes_SRV_and_TXT_without_flush_bits()
    {
        var probe = Read("service-probe");
        Assert.False(probe.IsResponse);
        Assert.Equal(new DnsQuestion(Instance, DnsRecordType.Any), Assert.Single(probe.Questions));
        Assert.Empty(probe.Answers);
        Assert.Equal([Srv with { CacheFlush = false }, Txt with { CacheFlush = false }], probe.Authorities);
        Assert.Empty(probe.Additionals);
    }

    [Fact]
    public void Avahis_host_probe_asks_for_its_name_and_reverse_names_and_proposes_their_records()
    {
        var probe = Read("host-probe");
        Assert.Equal(
            [new DnsQuestion(V6Reverse, DnsRecordType.Any), new DnsQuestion(Host, DnsRecordType.Any), new DnsQuestion(V4Reverse, DnsRecordType.Any)],
            probe.Questions);
        Assert.Equal(
            [
                A with { CacheFlush = false },
                new DnsRecord(V4Reverse, DnsRecordType.Ptr, 120, new PointerData(Host)),
                Aaaa with { CacheFlush = false },
                new DnsRecord(V6Reverse, DnsRecordType.Ptr, 120, new PointerData(Host)),
            ],
            probe.Authorities);
    }

    [Fact]
    public void Avahis_announcement_holds_the_service_records_with_flush_bits_on_the_unique_ones()
    {
        var announcement = Read("announcement");
        Assert.True(announcement.IsResponse);
        Assert.Equal(DnsMessage.ResponseFlag | DnsMessage.AuthoritativeFlag, announcement.Flags);
        Assert.Equal(
            [Txt, Ptr, Srv, Aaaa, A, new DnsRecord(DnsName.Parse("_services._dns-sd._udp.local"), DnsRecordType.Ptr, 4500, new PointerData(Service))],
            announcement.Answers);
        Assert.Empty(announcement.Additionals);
    }

    [Fact]
    public void Avahis_answer_to_a_PTR_query_gives_port_8102_and_the_TXT_pairs()
    {
        var response = Read("query-response");
        Assert.Equal([Ptr, Txt, Srv, Aaaa, A], response.Answers);
        var srv = response.Answers.Select(r => r.Data).OfType<ServiceData>().Single();
        Assert.Equal(8102, srv.Port);
        var pairs = response.Answers.Select(r => r.Data).OfType<TextData>().Single().Pairs();
        Assert.Equal(new Dictionary<string, string> { ["id"] = "ABC", ["proto"] = "1" }, pairs);
        Assert.Equal(["id=ABC", "proto=1"], response.Answers.Select(r => r.Data).OfType<TextData>().Single().Strings.Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void Avahi_browse_sends_a_plain_multicast_PTR_query()
    {
        var query = Read("browse-query");
        Assert.Equal(0, query.Id);
        Assert.Equal(0, query.Flags);
        Assert.Equal(new DnsQuestion(DnsName.Parse("_other._tcp.local"), DnsRecordType.Ptr), Assert.Single(query.Questions));
    }

    [Fact]
    public void Zeroconfs_announcement_holds_PTR_SRV_TXT_and_A()
    {
        var announcement = Read("zeroconf-announcement");
        Assert.Equal(DnsMessage.ResponseFlag | DnsMessage.AuthoritativeFlag, announcement.Flags);
        Assert.Equal([ZcPtr, ZcSrv, ZcTxt, ZcA], announcement.Answers);
        Assert.Empty(announcement.Skipped);
    }

    [Fact]
    public void Zeroconfs_probe_is_a_QU_query_for_the_service_type_with_its_pointer_proposed()
    {
        var probe = Read("zeroconf-probe");
        Assert.False(probe.IsResponse);
        Assert.Equal(new DnsQuestion(Service, DnsRecordType.Ptr, UnicastResponse: true), Assert.Single(probe.Questions));
        Assert.Equal([ZcPtr], probe.Authorities);
    }

    [Fact]
    public void Zeroconfs_answer_to_a_PTR_query_loses_only_its_malformed_NSEC()
    {
        // zeroconf 0.47 writes the NSEC bitmap's window and length as two-byte shorts (00 00 00 04 …):
        // window 0 of length 0, which RFC 4034 §4.1.2 does not allow. The four records around it are read.
        var response = Read("zeroconf-response");
        Assert.Equal([ZcPtr], response.Answers);
        Assert.Equal([ZcSrv, ZcTxt, ZcA], response.Additionals);
        Assert.Equal(["additional 3: NSEC bitmap window 0 at 128 has length 0; must be 1 to 32"], response.Skipped);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Writing_a_capture_back_gives_Avahis_bytes(string capture)
    {
        var bytes = Load(capture);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(DnsAssert.Parses(bytes).ToArray()));
    }
}
