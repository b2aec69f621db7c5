using Node.Federation.Discovery.Dns;

namespace Node.Federation.Tests.Discovery.Dns;

/// <summary>
/// Malformed input, read without throwing. A packet whose framing cannot be followed is refused with an
/// error that names the problem and where it is; a record or question that cannot be read but can be
/// stepped over is left out, named in <see cref="DnsMessage.Skipped"/>, and what follows it is still read.
/// </summary>
public sealed class DnsMalformedTests
{
    private const string TypeClass = "00010001";
    private const string TtlA = "00010001" + "00000078";

    private static byte[] Packet(int questions, int answers, params string[] hex) =>
        Convert.FromHexString($"00000000{questions:X4}{answers:X4}00000000" + string.Concat(hex).Replace(" ", "", StringComparison.Ordinal));

    // A good record after the bad one: root name, A 127.0.0.1.
    private const string GoodA = "00" + TtlA + "0004" + "7F000001";
    private static readonly DnsRecord Loopback = new(DnsName.Root, DnsRecordType.A, 120, new AddressData(System.Net.IPAddress.Loopback));

    /// <summary>Asserts the packet is read with one entry left out for <paramref name="reason"/>, and the good A record after it kept.</summary>
    private static void SkippedBeforeGoodA(byte[] packet, string reason) =>
        Assert.Equal([Loopback], DnsAssert.Skipped(packet, reason).Answers);

    private static string Label(int length, char fill = 'a') => $"{length:X2}" + string.Concat(Enumerable.Repeat(((byte)fill).ToString("X2"), length));

    // ——— Refused: the framing cannot be followed, so nothing after the fault can be found ———

    [Fact]
    public void A_truncated_header_is_refused() =>
        DnsAssert.Refused(Convert.FromHexString("0000840000"), "header truncated: 5 of 12 bytes");

    [Fact]
    public void A_packet_over_9000_bytes_is_refused() =>
        DnsAssert.Refused(new byte[9001], "packet of 9001 bytes is over the 9000-byte maximum");

    [Fact]
    public void Counts_the_packet_cannot_hold_are_refused_before_anything_is_read() =>
        DnsAssert.Refused(Packet(2, 0xFFFF, "00", TypeClass),
            "counts of 2 questions, 65535 answers, 0 authorities and 0 additionals need at least 720895 bytes; 5 follow the header");

    [Fact]
    public void A_64_byte_label_is_refused_since_its_end_is_unknown() =>
        DnsAssert.Refused(Packet(1, 0, Label(64), "00", TypeClass),
            "question 1: label at 12: length byte 0x40 is neither a label of at most 63 bytes nor a compression pointer");

    [Fact]
    public void The_extended_label_type_0x80_is_refused_since_its_end_is_unknown() =>
        DnsAssert.Refused(Packet(1, 0, "8161 00", TypeClass),
            "question 1: label at 12: length byte 0x81 is neither a label of at most 63 bytes nor a compression pointer");

    [Fact]
    public void An_extended_label_type_in_a_record_name_is_refused() =>
        DnsAssert.Refused(Packet(0, 2, "4161 00", TtlA, "0004 7F000001", GoodA),
            "answer 1: label at 12: length byte 0x41 is neither a label of at most 63 bytes nor a compression pointer");

    [Fact]
    public void A_truncated_question_is_refused() =>
        DnsAssert.Refused(Packet(1, 0, "0161 00", "0001"), "question 1: truncated at 15: type and class need 4 bytes, 2 left");

    [Fact]
    public void A_question_name_without_its_end_is_refused() =>
        DnsAssert.Refused(Packet(1, 0, "03616263 0164"), "question 1: name at 12 runs past the end of the packet at 18");

    [Fact]
    public void A_label_cut_off_by_the_end_of_the_packet_is_refused() =>
        DnsAssert.Refused(Packet(1, 0, "03616263 0364"), "question 1: label at 16 of 3 bytes runs past the end of the packet at 18");

    [Fact]
    public void A_truncated_record_is_refused() =>
        DnsAssert.Refused(Packet(0, 2, "00", TtlA, "0004", "7F000001", "00", "000100010000007800"),
            "answer 2: truncated at 28: type, class, TTL and rdlength need 10 bytes, 9 left");

    [Fact]
    public void An_rdlength_past_the_end_of_the_packet_is_refused() =>
        DnsAssert.Refused(Packet(0, 1, "00", TtlA, "0004", "7F00"), "answer 1: rdlength 4 at 21 runs past the end of the packet (2 bytes left)");

    [Fact]
    public void Truncated_rdata_in_a_later_section_names_that_section() =>
        DnsAssert.Refused(Convert.FromHexString("000084000000000100000001" + "00" + TtlA + "0004 7F000001".Replace(" ", "", StringComparison.Ordinal) + "00" + TtlA + "0004 7F".Replace(" ", "", StringComparison.Ordinal)),
            "additional 1: rdlength 4 at 36 runs past the end of the packet (1 bytes left)");

    [Fact]
    public void A_record_whose_owner_name_is_cut_off_by_the_end_of_the_packet_is_refused() =>
        DnsAssert.Refused(Packet(0, 2, GoodA, "0A616263646566"), "answer 2: label at 27 of 10 bytes runs past the end of the packet at 34");

    // ——— Skipped: the entry's bytes are framed, so it costs only itself ———

    [Fact]
    public void A_question_whose_pointer_points_to_itself_is_skipped_and_the_next_question_read()
    {
        var message = DnsAssert.Skipped(Packet(2, 0, "C00C", TypeClass, "00", TypeClass), "question 1: compression pointer at 12 points to itself");
        Assert.Equal([new DnsQuestion(DnsName.Root, DnsRecordType.A)], message.Questions);
    }

    [Fact]
    public void A_cycle_of_two_pointers_is_skipped_at_its_forward_pointer() =>
        // The name at 12 points to 14, whose bytes (the question's type) point back to 12.
        SkippedBeforeGoodA(Packet(1, 1, "C00E", "C00C0001", GoodA), "question 1: compression pointer at 12 points forward to 14");

    [Fact]
    public void A_forward_pointer_in_a_record_name_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "0161 C020", TtlA, "0004 7F000001", GoodA), "answer 1: compression pointer at 14 points forward to 32");

    [Fact]
    public void A_chain_of_more_than_128_pointers_is_skipped()
    {
        // Answer 1's opaque data holds a root name and 129 pointers, each to the one before; answer 2's
        // owner name points to the last of them.
        var chain = "00" + string.Concat(Enumerable.Range(0, 129).Select(i => $"{0xC000 | (i == 0 ? 23 : 22 + (2 * i)):X4}"));
        var rdlength = chain.Length / 2;
        var last = 24 + (2 * 128);
        var message = DnsAssert.Skipped(Packet(0, 3, "00", "FF000001", "00000078", $"{rdlength:X4}", chain, $"{0xC000 | last:X4}", TtlA, "0004 7F000001", GoodA),
            $"answer 2: name at {12 + 11 + rdlength} follows more than 128 compression pointers");
        Assert.Equal([(DnsRecordType)0xFF00, DnsRecordType.A], message.Answers.Select(r => r.Type));
    }

    [Fact]
    public void A_name_over_255_bytes_is_skipped() =>
        SkippedBeforeGoodA(Packet(1, 1, Label(63), Label(63), Label(63), Label(63), "00", TypeClass, GoodA),
            "question 1: name at 12 is longer than 255 bytes");

    [Fact]
    public void A_name_over_255_bytes_made_of_pointers_is_skipped()
    {
        // Question 1 is 3 × 63-byte labels (193 bytes); question 2 prepends a 63-byte label and points to it.
        var first = string.Concat(Label(63, 'a'), Label(63, 'b'), Label(63, 'c'), "00");
        var message = DnsAssert.Skipped(Packet(2, 1, first, TypeClass, Label(63, 'd'), "C00C", TypeClass, GoodA),
            "question 2: name at 209 is longer than 255 bytes");
        Assert.Single(message.Questions);
        Assert.Equal([Loopback], message.Answers);
    }

    [Fact]
    public void A_label_that_is_not_UTF8_is_skipped() =>
        SkippedBeforeGoodA(Packet(1, 1, "02C328 00", TypeClass, GoodA), "question 1: label at 12 is not valid UTF-8");

    [Fact]
    public void A_record_whose_owner_name_is_not_UTF8_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "02C328 00", TtlA, "0004 7F000001", GoodA), "answer 1: label at 12 is not valid UTF-8");

    [Fact]
    public void An_A_record_of_5_bytes_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", TtlA, "0005", "7F00000101", GoodA), "answer 1: A data must be 4 bytes; was 5");

    [Fact]
    public void An_AAAA_record_of_4_bytes_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", "001C0001", "00000078", "0004", "7F000001", GoodA), "answer 1: AAAA data must be 16 bytes; was 4");

    [Fact]
    public void A_TXT_string_overrunning_the_rdata_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", "00100001", "00000078", "0005", "0161", "056263", GoodA),
            "answer 1: TXT string 2 of 5 bytes overruns the record data (2 bytes left)");

    [Fact]
    public void A_PTR_target_running_past_its_rdata_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", "000C0001", "00000078", "0002", "0361", GoodA),
            "answer 1: PTR target: label at 23 of 3 bytes runs past the end of the record data at 25");

    [Fact]
    public void Bytes_after_a_PTR_target_inside_its_rdata_are_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", "000C0001", "00000078", "0004", "0000 0000", GoodA), "answer 1: PTR data has 3 bytes after the name");

    [Fact]
    public void An_SRV_record_too_short_for_its_fixed_fields_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", "00210001", "00000078", "0004", "00000000", GoodA),
            "answer 1: SRV data must be at least 7 bytes (priority, weight, port and a name); was 4");

    [Fact]
    public void An_NSEC_window_of_length_0_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", "002F0001", "00000078", "0003", "00 0000", GoodA),
            "answer 1: NSEC bitmap window 0 at 24 has length 0; must be 1 to 32");

    [Fact]
    public void An_NSEC_window_of_length_33_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", "002F0001", "00000078", "0024", "00 0021", new string('0', 66), GoodA),
            "answer 1: NSEC bitmap window 0 at 24 has length 33; must be 1 to 32");

    [Fact]
    public void NSEC_windows_out_of_order_are_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", "002F0001", "00000078", "0007", "00 010140 000140", GoodA),
            "answer 1: NSEC bitmap window 0 at 27 does not follow window 1 in ascending order");

    [Fact]
    public void An_NSEC_window_overrunning_the_rdata_is_skipped() =>
        SkippedBeforeGoodA(Packet(0, 2, "00", "002F0001", "00000078", "0004", "00 000240", GoodA),
            "answer 1: NSEC bitmap window 0 at 24 of 2 bytes overruns the record data");

    [Fact]
    public void An_NSEC_as_python_zeroconf_047_writes_it_is_skipped_and_the_address_beside_it_kept()
    {
        // zeroconf 0.47 (Debian 12) writes the window number and the bitmap length as two-byte shorts:
        // window 0 of length 0, then "window 0" again, here saying the host has no AAAA. Its A record follows.
        var message = DnsAssert.Skipped(Packet(0, 2, "037a6331056c6f63616c00", "002F8001", "00001194", "000A", "C00C 0000 0004 00000008", "C00C", "00018001", "00000078", "0004", "0A000001"),
            "answer 1: NSEC bitmap window 0 at 35 has length 0; must be 1 to 32");
        var a = Assert.Single(message.Answers);
        Assert.Equal("zc1.local", a.Name.ToString());
        Assert.Equal(System.Net.IPAddress.Parse("10.0.0.1"), ((AddressData)a.Data).Address);
    }

    [Fact]
    public void Several_bad_records_in_every_section_each_cost_only_themselves()
    {
        // Answers: bad A, good A; authority: bad TXT; additional: good A, bad NSEC.
        var packet = Convert.FromHexString(("000084000000000200010002"
            + "00" + TtlA + "0005 7F00000101" + GoodA
            + "00 00100001 00000078 0002 0561"
            + GoodA
            + "00 002F0001 00000078 0003 000000").Replace(" ", "", StringComparison.Ordinal));
        var message = DnsAssert.Parses(packet);
        Assert.Equal([Loopback], message.Answers);
        Assert.Empty(message.Authorities);
        Assert.Equal([Loopback], message.Additionals);
        Assert.Equal(["answer 1", "authority 1", "additional 2"], message.Skipped.Select(s => s[..s.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public void Bytes_after_the_last_counted_record_are_ignored()
    {
        var message = DnsAssert.Parses(Packet(0, 1, "00", TtlA, "0004", "7F000001", "DEADBEEF"));
        Assert.Single(message.Answers);
        Assert.Empty(message.Skipped);
    }
}
