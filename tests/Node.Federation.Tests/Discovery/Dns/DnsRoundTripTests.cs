using System.Net;
using System.Text;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Tests.Discovery.Dns;

public sealed class DnsRoundTripTests
{
    private static readonly DnsName Service = DnsName.Parse("_sovereign._tcp.local");
    private static readonly DnsName Instance = Service.Prepend("X");
    private static readonly DnsName Host = DnsName.Parse("h.local");

    private static DnsRecord Single(DnsRecord record) => Assert.Single(DnsAssert.RoundTrips(DnsMessage.Response([record])).Answers);

    [Fact]
    public void An_A_record_round_trips_as_its_address()
    {
        var read = Single(new DnsRecord(Host, DnsRecordType.A, 120, new AddressData(IPAddress.Parse("192.168.1.20"))));
        Assert.Equal(IPAddress.Parse("192.168.1.20"), Assert.IsType<AddressData>(read.Data).Address);
    }

    [Fact]
    public void An_AAAA_record_round_trips_as_its_address()
    {
        var read = Single(new DnsRecord(Host, DnsRecordType.Aaaa, 120, new AddressData(IPAddress.Parse("fe80::1:2:3:4"))));
        Assert.Equal(IPAddress.Parse("fe80::1:2:3:4"), Assert.IsType<AddressData>(read.Data).Address);
    }

    [Fact]
    public void A_PTR_record_round_trips_its_target()
    {
        var read = Single(new DnsRecord(Service, DnsRecordType.Ptr, 4500, new PointerData(Instance)));
        Assert.Equal(Instance, Assert.IsType<PointerData>(read.Data).Target);
    }

    [Fact]
    public void An_SRV_record_round_trips_priority_weight_port_and_target()
    {
        var read = Single(new DnsRecord(Instance, DnsRecordType.Srv, 120, new ServiceData(1, 2, 8102, Host), CacheFlush: true));
        var srv = Assert.IsType<ServiceData>(read.Data);
        Assert.Equal((1, 2, 8102, Host), (srv.Priority, srv.Weight, srv.Port, srv.Target));
    }

    [Fact]
    public void A_TXT_record_round_trips_its_strings_in_order()
    {
        var read = Single(new DnsRecord(Instance, DnsRecordType.Txt, 4500, TextData.FromPairs([new("id", "ABC"), new("proto", "1")])));
        Assert.Equal(["id=ABC", "proto=1"], Assert.IsType<TextData>(read.Data).Strings.Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void A_TXT_record_without_strings_is_written_as_one_empty_string()
    {
        var bytes = DnsMessage.Response([new DnsRecord(Instance, DnsRecordType.Txt, 4500, new TextData([]))]).ToArray();
        Assert.Equal([0x00, 0x01, 0x00], bytes[^3..]); // rdlength 1, one zero-length string
        var read = Assert.Single(DnsAssert.Parses(bytes).Answers);
        Assert.Empty(Assert.IsType<TextData>(read.Data).Pairs());
    }

    [Fact]
    public void A_TXT_record_with_rdlength_zero_reads_as_no_strings()
    {
        var packet = Convert.FromHexString("000084000000000100000000" + "00" + "0010" + "0001" + "00000078" + "0000");
        var read = Assert.Single(DnsAssert.Parses(packet).Answers);
        Assert.Empty(Assert.IsType<TextData>(read.Data).Strings);
    }

    [Fact]
    public void TXT_pairs_follow_RFC_6763_section_6_4()
    {
        // Keys ignore case and the first of a repeated key wins; a string without '=' is a key with an
        // empty value; an empty key is skipped; values may hold '=' and any bytes after the first.
        var strings = new[] { "id=ABC", "ID=other", "flag", "=nokey", "path=/a=b", "empty=" }.Select(Encoding.UTF8.GetBytes);
        var read = Single(new DnsRecord(Instance, DnsRecordType.Txt, 4500, new TextData(strings)));
        var pairs = Assert.IsType<TextData>(read.Data).Pairs();
        Assert.Equal(4, pairs.Count);
        Assert.Equal("ABC", pairs["Id"]);
        Assert.Equal("", pairs["flag"]);
        Assert.Equal("/a=b", pairs["path"]);
        Assert.Equal("", pairs["empty"]);
    }

    [Fact]
    public void An_NSEC_record_round_trips_its_next_name_and_types_across_windows()
    {
        DnsRecordType[] types = [DnsRecordType.A, DnsRecordType.Txt, DnsRecordType.Aaaa, DnsRecordType.Srv, (DnsRecordType)0x0101];
        var read = Single(new DnsRecord(Host, DnsRecordType.Nsec, 120, new NsecData(Host, types), CacheFlush: true));
        var nsec = Assert.IsType<NsecData>(read.Data);
        Assert.Equal(Host, nsec.NextName);
        Assert.Equal(types.Order(), nsec.Types);
    }

    [Fact]
    public void A_record_of_a_type_not_modelled_round_trips_as_opaque_bytes()
    {
        var read = Single(new DnsRecord(Host, (DnsRecordType)13, 120, new OpaqueData("\u0003x86\u0005Linux"u8)));
        Assert.Equal("\u0003x86\u0005Linux"u8.ToArray(), Assert.IsType<OpaqueData>(read.Data).Data.ToArray());
    }

    [Fact]
    public void The_QU_bit_is_the_top_bit_of_the_question_class()
    {
        var query = DnsMessage.Query([new DnsQuestion(Service, DnsRecordType.Ptr, UnicastResponse: true)]);
        var bytes = query.ToArray();
        Assert.Equal([0x00, 0x0C, 0x80, 0x01], bytes[^4..]);
        var question = Assert.Single(DnsAssert.RoundTrips(query).Questions);
        Assert.True(question.UnicastResponse);
        Assert.Equal(DnsQuestion.Internet, question.Class);
    }

    [Fact]
    public void The_cache_flush_bit_is_the_top_bit_of_the_record_class()
    {
        var response = DnsMessage.Response([new DnsRecord(Host, DnsRecordType.A, 120, new AddressData(IPAddress.Loopback), CacheFlush: true)]);
        var bytes = response.ToArray();
        Assert.Equal([0x80, 0x01], bytes[^12..^10]);
        var record = Assert.Single(DnsAssert.RoundTrips(response).Answers);
        Assert.True(record.CacheFlush);
        Assert.Equal(DnsQuestion.Internet, record.Class);
    }

    [Fact]
    public void An_empty_name_reads_as_the_root()
    {
        var question = Assert.Single(DnsAssert.RoundTrips(DnsMessage.Query([new DnsQuestion(DnsName.Root, DnsRecordType.Any)])).Questions);
        Assert.Same(DnsName.Root, question.Name);
    }

    [Fact]
    public void A_service_response_is_compressed_and_reads_back_equal()
    {
        var response = DnsMessage.Response(
            [new DnsRecord(Service, DnsRecordType.Ptr, 4500, new PointerData(Instance))],
            [
                new DnsRecord(Instance, DnsRecordType.Srv, 120, new ServiceData(0, 0, 8102, Host), CacheFlush: true),
                new DnsRecord(Instance, DnsRecordType.Txt, 4500, TextData.FromPairs([new("id", "ABC"), new("proto", "1")]), CacheFlush: true),
                new DnsRecord(Host, DnsRecordType.A, 120, new AddressData(IPAddress.Parse("10.0.0.7")), CacheFlush: true),
                new DnsRecord(Host, DnsRecordType.Aaaa, 120, new AddressData(IPAddress.Parse("fd00::7")), CacheFlush: true),
                new DnsRecord(Instance, DnsRecordType.Nsec, 120, new NsecData(Instance, [DnsRecordType.Txt, DnsRecordType.Srv]), CacheFlush: true),
                new DnsRecord(Host, DnsRecordType.Nsec, 120, new NsecData(Host, [DnsRecordType.A, DnsRecordType.Aaaa]), CacheFlush: true),
            ]);

        var bytes = response.ToArray();
        var uncompressed = 12 + response.AllRecords().Sum(r => r.Name.WireLength + 10 + r.Data.Canonical.Length);
        Assert.True(bytes.Length < uncompressed - 100, $"{bytes.Length} bytes compressed, {uncompressed} uncompressed");
        DnsAssert.SameMessage(response, DnsAssert.Parses(bytes));
    }

    [Fact]
    public void Names_inside_PTR_SRV_and_NSEC_data_point_to_earlier_names()
    {
        var response = DnsMessage.Response(
        [
            new DnsRecord(Instance, DnsRecordType.Srv, 120, new ServiceData(0, 0, 8102, Host)),
            new DnsRecord(Service, DnsRecordType.Ptr, 4500, new PointerData(Instance)),
            new DnsRecord(Host, DnsRecordType.Nsec, 120, new NsecData(Host, [DnsRecordType.A])),
        ]);
        var bytes = response.ToArray();

        // The PTR's target is exactly one pointer to the SRV's owner name at offset 12.
        Assert.True(bytes.AsSpan().IndexOf(Convert.FromHexString("0002C00C")) > 0);

        // The NSEC next name is a pointer too: rdlength 5 = pointer, window 0 of length 1, bitmap with A.
        Assert.Equal([0x00, 0x05], bytes[^7..^5]);
        Assert.Equal(0xC0, bytes[^5] & 0xC0);
        Assert.Equal([0x00, 0x01, 0x40], bytes[^3..]);
        DnsAssert.SameMessage(response, DnsAssert.Parses(bytes));
    }

    [Fact]
    public void Compression_keeps_the_case_each_name_was_written_in()
    {
        var upper = DnsName.Of("Golden Test", "_sovereign", "_tcp", "local");
        var lower = DnsName.Of("golden test", "_sovereign", "_tcp", "local");
        var read = DnsAssert.RoundTrips(DnsMessage.Response(
        [
            new DnsRecord(Service, DnsRecordType.Ptr, 4500, new PointerData(upper)),
            new DnsRecord(Service, DnsRecordType.Ptr, 4500, new PointerData(lower)),
        ]));
        Assert.Equal("Golden Test", ((PointerData)read.Answers[0].Data).Target.Labels[0]);
        Assert.Equal("golden test", ((PointerData)read.Answers[1].Data).Target.Labels[0]);
    }

    [Fact]
    public void A_label_may_hold_dots_spaces_and_any_UTF8()
    {
        var name = Service.Prepend("Büro drucker v2.1 ☕");
        var read = Single(new DnsRecord(Service, DnsRecordType.Ptr, 4500, new PointerData(name)));
        Assert.Equal("Büro drucker v2.1 ☕", ((PointerData)read.Data).Target.Labels[0]);
    }

    [Fact]
    public void Writing_into_too_small_a_span_returns_false_at_every_size()
    {
        var response = DnsMessage.Response(
            [new DnsRecord(Service, DnsRecordType.Ptr, 4500, new PointerData(Instance))],
            [new DnsRecord(Instance, DnsRecordType.Srv, 120, new ServiceData(0, 0, 8102, Host)), new DnsRecord(Host, DnsRecordType.A, 120, new AddressData(IPAddress.Loopback))]);
        var full = response.ToArray();
        for (var size = 0; size < full.Length; size++)
        {
            Assert.False(response.TryWrite(new byte[size], out var written));
            Assert.Equal(0, written);
        }

        Assert.True(response.TryWrite(new byte[full.Length], out var all));
        Assert.Equal(full.Length, all);
    }

    [Fact]
    public void A_message_over_the_maximum_size_is_not_written()
    {
        var big = Enumerable.Range(0, 40).Select(i => new DnsRecord(Host, (DnsRecordType)65280, 120, new OpaqueData(new byte[250]))).ToArray();
        Assert.False(DnsMessage.Response(big).TryWrite(new byte[20_000], out _));
    }
}
