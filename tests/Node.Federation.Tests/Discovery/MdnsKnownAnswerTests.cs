using System.Net;
using Node.Federation.Discovery;
using Node.Federation.Discovery.Dns;
using Node.Federation.Discovery.Internal;
using Node.Federation.Tests.Discovery.Support;

namespace Node.Federation.Tests.Discovery;

/// <summary>
/// RFC 6762 §7.2 on a simulated link: known answers that do not fit in one query go on in packets
/// with TC, and a responder waits for all of them before it answers.
/// </summary>
public sealed class MdnsKnownAnswerTests : IDisposable
{
    private static readonly IPEndPoint Querier = new(IPAddress.Parse("10.0.0.9"), 5353);
    private static readonly DnsQuestion Browse = new(ServiceProfile.ServiceType, DnsRecordType.Ptr);
    private readonly SimulatedLan _lan = new();

    private static DnsRecord FakePointer(int i) =>
        new(ServiceProfile.ServiceType, DnsRecordType.Ptr, 4500, new PointerData(ServiceProfile.ServiceType.Prepend($"made-up service {i}")));

    // Pointers to services that are not there (no SRV or TXT): the browser caches them, and lists them as known answers.
    private void InjectPointers(int count)
    {
        var pointers = Enumerable.Range(0, count).Select(FakePointer).ToArray();
        foreach (var chunk in pointers.Chunk(50))
        {
            _lan.Network.Inject(DnsMessage.Response(chunk).ToArray(), new IPEndPoint(IPAddress.Parse("10.0.0.66"), 5353));
        }

        _lan.Run(0.01);
    }

    private static DnsMessage Query(ushort flags, IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsRecord> known) => new(0, flags, questions, known);

    private DnsRecord PointerOf(SimulatedNode node) =>
        _lan.Sent().Last(p => p.From == node.Name && p.Message.IsResponse && p.Message.Answers.Any(r => r.Type == DnsRecordType.Srv))
            .Message.Answers.First(r => r.Type == DnsRecordType.Ptr && r.Name.Equals(ServiceProfile.ServiceType));

    private IEnumerable<InMemoryMdnsNetwork.SentPacket> RepliesFrom(SimulatedNode node, int after) =>
        _lan.Network.Sent.Skip(after).Where(p => p.From == node.Name && SimulatedLan.Parse(p.Data).IsResponse);

    [Fact]
    public void Known_answers_that_do_not_fit_one_query_go_on_in_packets_without_questions_all_but_the_last_with_TC()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(5);
        InjectPointers(150);
        var count = _lan.Network.Sent.Count;

        _lan.Run(3); // the browse query due 8 s after start

        var fromA = _lan.Network.Sent.Skip(count).Where(p => p.From == "a").Select(p => (p.Data, Message: SimulatedLan.Parse(p.Data))).ToList();
        var first = fromA.FindIndex(p => !p.Message.IsResponse && p.Message.Questions.Contains(Browse));
        Assert.True(first >= 0, "a sent its browse query");
        var packets = fromA.Skip(first).TakeWhile((p, i) => i == 0 || p.Message.Questions.Count == 0).ToList();
        Assert.True(packets.Count >= 3, $"150 known answers went in {packets.Count} packets");
        Assert.All(packets[..^1], p => Assert.True(p.Message.IsTruncated, "TC: more known answers follow"));
        Assert.False(packets[^1].Message.IsTruncated);
        Assert.All(packets, p => Assert.InRange(p.Data.Length, 1, KnownAnswerPackets.MaxQueryBytes));
        var listed = packets.SelectMany(p => p.Message.Answers).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(
            Enumerable.Range(0, 150).Select(i => FakePointer(i).Data).Append(PointerOf(a).Data).Select(d => ((PointerData)d).Target.ToString()).Order(StringComparer.Ordinal),
            listed.Select(r => ((PointerData)r.Data).Target.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_responder_waits_for_the_rest_of_the_known_answers_and_stays_quiet_when_a_later_packet_lists_its_record()
    {
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(5);
        var count = _lan.Network.Sent.Count;

        _lan.Network.Inject(Query(DnsMessage.TruncatedFlag, [Browse], [.. Enumerable.Range(0, 20).Select(FakePointer)]).ToArray(), Querier);
        _lan.Run(0.01);
        _lan.Network.Inject(Query(0, [], [FakePointer(20), PointerOf(b)]).ToArray(), Querier);
        _lan.Run(2);

        Assert.Empty(RepliesFrom(b, count));
    }

    [Fact]
    public void A_truncated_query_whose_rest_never_lists_the_record_is_answered_400_to_500_ms_after_its_last_packet()
    {
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(5);
        var count = _lan.Network.Sent.Count;

        _lan.Network.Inject(Query(DnsMessage.TruncatedFlag, [Browse], [FakePointer(0)]).ToArray(), Querier);
        _lan.Run(0.3);
        Assert.Empty(RepliesFrom(b, count)); // a shared answer would have gone after 20–120 ms
        _lan.Network.Inject(Query(DnsMessage.TruncatedFlag, [], [FakePointer(1)]).ToArray(), Querier);
        var lastAt = _lan.Time.GetUtcNow();
        _lan.Run(2);

        var reply = Assert.Single(RepliesFrom(b, count));
        Assert.InRange((reply.At - lastAt).TotalMilliseconds, Responder.TruncatedWaitMinMs + 1, Responder.TruncatedWaitMaxMs + 1); // + the link's 1 ms
        Assert.Contains(SimulatedLan.Parse(reply.Data).Answers, r => r.Type == DnsRecordType.Ptr);
    }

    [Fact]
    public void The_last_packet_of_a_truncated_query_ends_the_wait()
    {
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(5);
        var count = _lan.Network.Sent.Count;

        _lan.Network.Inject(Query(DnsMessage.TruncatedFlag, [Browse], [FakePointer(0)]).ToArray(), Querier);
        _lan.Run(0.01);
        _lan.Network.Inject(Query(0, [], [FakePointer(1)]).ToArray(), Querier);
        var lastAt = _lan.Time.GetUtcNow();
        _lan.Run(2);

        var reply = Assert.Single(RepliesFrom(b, count));
        Assert.InRange((reply.At - lastAt).TotalMilliseconds, 20, 122); // the shared record's own 20–120 ms, plus the link's latency
    }

    [Fact]
    public void A_stream_of_truncated_packets_delays_the_answer_by_at_most_two_seconds()
    {
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(5);
        var count = _lan.Network.Sent.Count;
        var firstAt = _lan.Time.GetUtcNow();

        _lan.Network.Inject(Query(DnsMessage.TruncatedFlag, [Browse], [FakePointer(0)]).ToArray(), Querier);
        for (var i = 1; i <= 20; i++)
        {
            _lan.Run(0.3);
            _lan.Network.Inject(Query(DnsMessage.TruncatedFlag, [], [FakePointer(i)]).ToArray(), Querier);
        }

        _lan.Run(1);

        var reply = RepliesFrom(b, count).First();
        Assert.InRange((reply.At - firstAt).TotalMilliseconds, Responder.MaxHoldMs, Responder.MaxHoldMs + 2);
    }

    [Fact]
    public void A_peer_listed_in_a_later_packet_of_a_browse_query_stays_quiet()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(1);
        InjectPointers(150);
        var b = _lan.Add("b", "10.0.0.2"); // cached after the 150 made-up pointers: listed at the end of a's known answers
        _lan.Run(3);
        Assert.Contains(a.Discovery.Services, s => s.NodeId == b.Profile!.NodeId);
        var pointer = PointerOf(b);
        var count = _lan.Network.Sent.Count;

        var query = -1;
        for (var second = 0; second < 120 && query < 0; second++)
        {
            _lan.Run(1);
            query = _lan.Sent().Skip(count).ToList().FindIndex(p => p.From == "a" && p.Message.IsTruncated && p.Message.Questions.Contains(Browse));
        }

        Assert.True(query >= 0, "a sent a browse query with TC within two minutes");
        var sent = _lan.Sent().Skip(count).ToList();
        var listing = Assert.Single(sent.Skip(query), p => p.From == "a" && p.Message.Answers.Any(r => r.IsSameRecord(pointer)));
        Assert.Empty(listing.Message.Questions); // b's pointer went in a later packet, not the one with the question
        _lan.Run(1);
        Assert.DoesNotContain(_lan.Sent().Skip(count + query), p => p.From == "b" && p.Message.IsResponse && p.Message.Answers.Any(r => r.IsSameRecord(pointer)));
    }

    public void Dispose() => _lan.Dispose();
}
