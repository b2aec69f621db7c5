using System.Net;
using Node.Federation.Discovery;
using Node.Federation.Discovery.Dns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Node.Federation.Tests.Discovery.Support;
using Node.Federation.Tests.Support;

namespace Node.Federation.Tests.Discovery;

/// <summary>The responder and browser together on a simulated link, with a fake clock.</summary>
public sealed class MdnsDiscoveryTests : IDisposable
{
    private readonly SimulatedLan _lan = new();

    [Fact]
    public void Two_nodes_find_each_other_with_port_addresses_and_txt()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");

        _lan.Run(2);

        var seenByA = Assert.Single(a.Discovery.Services);
        Assert.Equal(b.Profile!.NodeId, seenByA.NodeId);
        Assert.Equal(8102, seenByA.Port);
        Assert.Contains(IPAddress.Parse("10.0.0.2"), seenByA.Addresses);
        Assert.Contains(seenByA.Addresses, x => x.IsIPv6LinkLocal && x.ScopeId == 2);
        Assert.Equal("1", seenByA.Txt[ServiceProfile.ProtocolKey]);
        Assert.Equal(b.Profile.HostLabel() + ".local", seenByA.Host.ToString());
        Assert.Equal(a.Profile!.NodeId, Assert.Single(b.Discovery.Services).NodeId);
        Assert.Single(a.ChangesOf(DiscoveryChangeKind.Found));
        Assert.Empty(a.ChangesOf(DiscoveryChangeKind.Lost));
    }

    [Fact]
    public void A_node_probes_three_times_250_ms_apart_then_announces_twice_a_second_apart()
    {
        var started = _lan.Time.GetUtcNow();
        _lan.Add("a", "10.0.0.1");

        _lan.Run(5);

        var sent = _lan.Sent();
        var probes = sent.Where(p => !p.Message.IsResponse && p.Message.Authorities.Count > 0).Select(p => p.At).ToArray();
        var announcements = sent.Where(p => p.Message.IsResponse && p.Message.Answers.Any(r => r.Type == DnsRecordType.Srv)).Select(p => p.At).ToArray();
        Assert.Equal(3, probes.Length);
        Assert.InRange((probes[0] - started).TotalMilliseconds, 0, 250);
        Assert.Equal(250, (probes[1] - probes[0]).TotalMilliseconds);
        Assert.Equal(250, (probes[2] - probes[1]).TotalMilliseconds);
        Assert.Equal(2, announcements.Length);
        Assert.True((announcements[0] - probes[2]).TotalMilliseconds >= 250);
        Assert.Equal(1000, (announcements[1] - announcements[0]).TotalMilliseconds);

        var probe = sent.First(p => p.Message.Authorities.Count > 0).Message;
        Assert.All(probe.Questions, q => Assert.Equal(DnsRecordType.Any, q.Type));
        Assert.All(probe.Questions, q => Assert.True(q.UnicastResponse, "the first probe asks for a unicast reply"));
        var announcement = sent.First(p => p.Message.IsResponse).Message;
        Assert.All(announcement.Answers.Where(r => r.Type != DnsRecordType.Ptr), r => Assert.True(r.CacheFlush, $"{r.Type} is unique"));
        Assert.All(announcement.Answers.Where(r => r.Type == DnsRecordType.Ptr), r => Assert.False(r.CacheFlush));
    }

    [Fact]
    public void A_stopped_node_says_goodbye_and_its_peer_loses_it_within_two_seconds()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(3);
        Assert.Single(a.Discovery.Services);

        var stoppedAt = _lan.Time.GetUtcNow();
        b.Discovery.Stop();
        var goodbye = _lan.Sent().Last(p => p.From == "b").Message;
        Assert.True(goodbye.IsResponse);
        Assert.All(goodbye.Answers, r => Assert.Equal(0u, r.Ttl));
        Assert.Contains(goodbye.Answers, r => r.Type == DnsRecordType.Ptr);

        _lan.Run(2);

        Assert.Empty(a.Discovery.Services);
        var lost = Assert.Single(a.ChangesOf(DiscoveryChangeKind.Lost));
        Assert.Equal(b.Profile!.NodeId, lost.Service.NodeId);
        Assert.Equal(LossReason.Goodbye, lost.Reason);
        Assert.InRange((_lan.Time.GetUtcNow() - stoppedAt).TotalSeconds, 1, 2);
    }

    [Fact]
    public void A_vanished_node_expires_after_refresh_queries_at_80_to_95_percent_of_its_ttl()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(3);
        var lastHeard = _lan.Time.GetUtcNow();
        _lan.Network.SetConnected(b.Transport, false); // pulled cable: no goodbye

        _lan.Run(TimeSpan.FromSeconds(115));
        Assert.Single(a.Discovery.Services);
        _lan.Run(TimeSpan.FromSeconds(10));

        Assert.Empty(a.Discovery.Services);
        Assert.Equal(LossReason.Expired, Assert.Single(a.ChangesOf(DiscoveryChangeKind.Lost)).Reason);
        var srvRefreshes = _lan.Sent().Where(p => p.From == "a" && !p.Message.IsResponse && p.At > lastHeard && p.At < lastHeard.AddSeconds(120)
            && p.Message.Questions.Any(q => q.Type == DnsRecordType.Srv)).Select(p => (p.At - lastHeard).TotalSeconds / 120).ToArray();
        // Refreshes at 80, 85, 90 and 95 % (+0–2 %) of the TTL from when the record came; after it expires, resolving asks again.
        Assert.True(srvRefreshes.Length >= 4, string.Join(" ", srvRefreshes));
        var steps = srvRefreshes.Take(4).Zip(srvRefreshes.Skip(1), (x, y) => y - x).Take(3);
        Assert.All(steps, step => Assert.Equal(0.05, step, 3));
        Assert.InRange(srvRefreshes[0], 0.78, 0.83);
    }

    [Fact]
    public void A_new_address_reaches_the_peer_as_a_change()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(3);

        _lan.Network.SetAddresses(b.Transport, IPAddress.Parse("10.0.0.22"), IPAddress.Parse("fe80::2"));
        _lan.Run(3);

        var service = Assert.Single(a.Discovery.Services);
        Assert.Contains(IPAddress.Parse("10.0.0.22"), service.Addresses);
        Assert.DoesNotContain(IPAddress.Parse("10.0.0.2"), service.Addresses);
        Assert.NotEmpty(a.ChangesOf(DiscoveryChangeKind.Changed));
    }

    [Fact]
    public void Two_nodes_probing_the_same_names_at_once_leave_one_holding_them_and_the_other_renamed()
    {
        var id = SimulatedLan.NewNodeId();
        var a = _lan.Add("a", "10.0.0.1", id, seed: 5);
        var b = _lan.Add("b", "10.0.0.2", id, seed: 5); // cloned identity, same random delays: the probes cross

        _lan.Run(6);

        var names = new[] { a.Discovery.InstanceName, b.Discovery.InstanceName };
        Assert.Single(names, n => n == id.ToString());
        Assert.Single(names, n => n == $"{id} (2)");
        Assert.True(a.Discovery.Diagnose().Links.Concat(b.Discovery.Diagnose().Links).Sum(l => l.Conflicts) > 0);
        Assert.All(a.Discovery.Diagnose().Links.Concat(b.Discovery.Diagnose().Links), l => Assert.Equal("announced", l.State));
    }

    [Fact]
    public void A_latecomer_claiming_held_names_is_answered_and_renames_while_the_holder_keeps_them()
    {
        var id = SimulatedLan.NewNodeId();
        var holder = _lan.Add("a", "10.0.0.1", id);
        _lan.Run(4);
        var latecomer = _lan.Add("b", "10.0.0.2", id);

        _lan.Run(6);

        Assert.Equal(id.ToString(), holder.Discovery.InstanceName);
        Assert.Equal($"{id} (2)", latecomer.Discovery.InstanceName);
        Assert.Equal("announced", Assert.Single(latecomer.Discovery.Diagnose().Links).State);
        Assert.Equal($"sovereign-{id.ToString().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}-2.local", latecomer.Discovery.Diagnose().HostName);
    }

    [Fact]
    public void A_conflict_is_warned_of_once_when_it_happens_by_the_node_that_renames()
    {
        var id = SimulatedLan.NewNodeId();
        var holderLogs = new FakeLogCollector();
        var latecomerLogs = new FakeLogCollector();
        using var holderLoggers = new LoggerFactory([new FakeLoggerProvider(holderLogs)]);
        using var latecomerLoggers = new LoggerFactory([new FakeLoggerProvider(latecomerLogs)]);
        _lan.Add("a", "10.0.0.1", id, loggers: holderLoggers);
        _lan.Run(4);
        _lan.Add("b", "10.0.0.2", id, loggers: latecomerLoggers);

        _lan.Run(6);

        Assert.DoesNotContain(holderLogs.GetSnapshot(), e => e.Level >= LogLevel.Warning);
        var warning = Assert.Single(latecomerLogs.GetSnapshot(), e => e.Level >= LogLevel.Warning);
        Assert.Equal($"mDNS name conflict: {id} is held by another host on b; claiming {id} (2) instead.", warning.Message);
    }

    [Fact]
    public void Browsing_queries_back_off_doubling_from_one_second()
    {
        _lan.Add("a", "10.0.0.1", announce: false);

        _lan.Run(TimeSpan.FromMinutes(3));

        var queries = _lan.Sent().Where(p => !p.Message.IsResponse && p.Message.Questions.Any(q => q.Type == DnsRecordType.Ptr)).Select(p => p.At).ToArray();
        var gaps = queries.Zip(queries.Skip(1), (x, y) => (y - x).TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 8, 16, 32, 64], gaps.Take(7));
    }

    [Fact]
    public void A_steady_pair_sends_at_most_two_multicasts_a_minute_each()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(TimeSpan.FromMinutes(20));
        var before = (a.Discovery.MulticastsSent, b.Discovery.MulticastsSent);

        _lan.Run(TimeSpan.FromMinutes(30));

        Assert.Single(a.Discovery.Services);
        Assert.Single(b.Discovery.Services);
        Assert.InRange((a.Discovery.MulticastsSent - before.Item1) / 30.0, 0.1, 2);
        Assert.InRange((b.Discovery.MulticastsSent - before.Item2) / 30.0, 0.1, 2);
    }

    [Fact]
    public void A_query_whose_known_answers_hold_our_records_gets_no_reply()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(5);
        var pointer = Announced(a).Answers.First(r => r.Type == DnsRecordType.Ptr && r.Name.Equals(ServiceProfile.ServiceType));
        var count = _lan.Network.Sent.Count;

        _lan.Network.Inject(DnsMessage.Query([new DnsQuestion(ServiceProfile.ServiceType, DnsRecordType.Ptr)], [pointer]).ToArray(),
            new IPEndPoint(IPAddress.Parse("10.0.0.9"), 5353));
        _lan.Run(1);
        Assert.DoesNotContain(_lan.Sent().Skip(count), p => p.Message.IsResponse);

        _lan.Network.Inject(DnsMessage.Query([new DnsQuestion(ServiceProfile.ServiceType, DnsRecordType.Ptr)]).ToArray(),
            new IPEndPoint(IPAddress.Parse("10.0.0.9"), 5353));
        var asked = _lan.Time.GetUtcNow();
        _lan.Run(1);
        var reply = Assert.Single(_lan.Network.Sent.Skip(count), p => SimulatedLan.Parse(p.Data).IsResponse);
        Assert.InRange((reply.At - asked).TotalMilliseconds, 20, 122); // shared record: 20–120 ms, plus the link's latency
        var message = SimulatedLan.Parse(reply.Data);
        Assert.Contains(message.Additionals, r => r.Type == DnsRecordType.Srv);
        Assert.Contains(message.Additionals, r => r.Type == DnsRecordType.A);
    }

    [Fact]
    public void A_record_is_multicast_at_most_once_a_second_however_often_it_is_asked_for()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(5);
        var srv = Announced(a).Answers.First(r => r.Type == DnsRecordType.Srv);
        var count = _lan.Network.Sent.Count;

        for (var i = 0; i < 500; i++)
        {
            _lan.Network.Inject(DnsMessage.Query([new DnsQuestion(srv.Name, DnsRecordType.Srv)]).ToArray(), new IPEndPoint(IPAddress.Parse("10.0.0.9"), 5353));
            _lan.Run(TimeSpan.FromMilliseconds(10));
        }

        var replies = _lan.Network.Sent.Skip(count).Where(p => p.UnicastTo is null && SimulatedLan.Parse(p.Data).IsResponse).Select(p => p.At).ToArray();
        Assert.InRange(replies.Length, 4, 6);
        Assert.All(replies.Zip(replies.Skip(1)), pair => Assert.True((pair.Second - pair.First).TotalMilliseconds >= 1000));
    }

    [Fact]
    public void A_query_that_arrives_over_ipv4_and_ipv6_is_answered_once()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(5);
        var srv = Announced(a).Answers.First(r => r.Type == DnsRecordType.Srv);
        var count = _lan.Network.Sent.Count;
        var query = DnsMessage.Query([new DnsQuestion(srv.Name, DnsRecordType.Srv)]).ToArray();

        _lan.Network.Inject(query, new IPEndPoint(IPAddress.Parse("10.0.0.9"), 5353));
        _lan.Network.Inject(query, new IPEndPoint(IPAddress.Parse("fe80::9"), 5353));
        _lan.Run(3);

        Assert.Single(_lan.Sent().Skip(count), p => p.Message.IsResponse);
    }

    [Fact]
    public void A_qu_question_for_a_recently_multicast_record_gets_a_unicast_reply()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(5);
        var srv = Announced(a).Answers.First(r => r.Type == DnsRecordType.Srv);
        var count = _lan.Network.Sent.Count;
        var asker = new IPEndPoint(IPAddress.Parse("10.0.0.9"), 5353);

        _lan.Network.Inject(DnsMessage.Query([new DnsQuestion(srv.Name, DnsRecordType.Srv, UnicastResponse: true)]).ToArray(), asker);
        _lan.Run(1);

        var reply = Assert.Single(_lan.Network.Sent.Skip(count), p => SimulatedLan.Parse(p.Data).IsResponse);
        Assert.Equal(asker, reply.UnicastTo);
        Assert.Contains(SimulatedLan.Parse(reply.Data).Answers, r => r.Type == DnsRecordType.Srv);
    }

    [Fact]
    public void A_legacy_unicast_query_gets_its_id_and_question_back_with_short_ttls()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(5);
        var srv = Announced(a).Answers.First(r => r.Type == DnsRecordType.Srv);
        var count = _lan.Network.Sent.Count;
        var asker = new IPEndPoint(IPAddress.Parse("10.0.0.9"), 40000);

        _lan.Network.Inject(new DnsMessage(0x1234, 0, [new DnsQuestion(srv.Name, DnsRecordType.Srv)]).ToArray(), asker);
        _lan.Run(1);

        var reply = Assert.Single(_lan.Network.Sent.Skip(count), p => SimulatedLan.Parse(p.Data).IsResponse);
        Assert.Equal(asker, reply.UnicastTo);
        var message = SimulatedLan.Parse(reply.Data);
        Assert.Equal(0x1234, message.Id);
        Assert.Equal(srv.Name, Assert.Single(message.Questions).Name);
        Assert.All(message.Answers, r => Assert.True(r.Ttl <= 10 && !r.CacheFlush));
    }

    [Fact]
    public void A_question_for_a_type_the_node_lacks_gets_an_nsec_saying_which_it_has()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(5);
        var srv = Announced(a).Answers.First(r => r.Type == DnsRecordType.Srv);
        var count = _lan.Network.Sent.Count;

        _lan.Network.Inject(DnsMessage.Query([new DnsQuestion(srv.Name, DnsRecordType.A)]).ToArray(), new IPEndPoint(IPAddress.Parse("10.0.0.9"), 5353));
        _lan.Run(1);

        var nsec = Assert.Single(Assert.Single(_lan.Sent().Skip(count), p => p.Message.IsResponse).Message.Answers);
        Assert.Equal(DnsRecordType.Nsec, nsec.Type);
        Assert.Equal([DnsRecordType.Txt, DnsRecordType.Srv], ((NsecData)nsec.Data).Types);
    }

    [Fact]
    public void Garbage_on_the_link_is_counted_and_changes_nothing()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var junk = new byte[random.Next(0, 600)];
            random.NextBytes(junk);
            _lan.Network.Inject(junk, new IPEndPoint(IPAddress.Parse("10.0.0.9"), 5353));
        }

        _lan.Run(3);

        Assert.True(a.Discovery.MalformedPackets > 150);
        Assert.Single(a.Discovery.Services);
        Assert.Single(b.Discovery.Services);
    }

    [Fact]
    public void Zeroconfs_answer_with_its_malformed_NSEC_still_yields_the_service_and_the_NSEC_is_counted_and_logged()
    {
        var logs = new FakeLogCollector();
        using var loggers = new LoggerFactory([new FakeLoggerProvider(logs)]);
        var a = _lan.Add("a", "10.0.0.1", announce: false, loggers: loggers);
        // Captured from python-zeroconf 0.47 (Dns/Golden/README.md): PTR; SRV, TXT, a malformed NSEC, A.
        var captured = Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Discovery", "Dns", "Golden", "zeroconf-response.hex")).Trim());

        _lan.Network.Inject(captured, new IPEndPoint(IPAddress.Parse("10.53.0.1"), 5353));
        _lan.Run(0.01);

        var service = Assert.Single(a.Discovery.Services);
        Assert.Equal("golden zc", service.InstanceLabel);
        Assert.Equal(8102, service.Port);
        Assert.Equal([IPAddress.Parse("10.53.0.1")], service.Addresses);
        Assert.Equal("ABC", service.Txt["id"]);
        Assert.Equal(1, a.Discovery.SkippedRecords);
        Assert.Equal(0, a.Discovery.MalformedPackets);
        var line = Assert.Single(logs.GetSnapshot(), e => e.Level == LogLevel.Debug && e.Message.Contains("left out", StringComparison.Ordinal));
        Assert.Equal("mDNS datagram from 10.53.0.1:5353: 1 records left out, the rest used; the first: additional 3: NSEC bitmap window 0 at 128 has length 0; must be 1 to 32.", line.Message);
    }

    [Fact]
    public void A_flood_of_queries_keeps_within_the_rate_limit_and_the_real_query_is_still_answered()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(5);
        var count = _lan.Network.Sent.Count;
        var flooder = new IPEndPoint(IPAddress.Parse("10.0.0.66"), 5353);
        var ptrQuery = DnsMessage.Query([new DnsQuestion(ServiceProfile.ServiceType, DnsRecordType.Ptr)]).ToArray();
        var quQuery = DnsMessage.Query([new DnsQuestion(ServiceProfile.ServiceType, DnsRecordType.Ptr, UnicastResponse: true)]).ToArray();

        // 10,000 queries a second for 5 s: ten every millisecond, half of them QU.
        for (var ms = 0; ms < 5000; ms++)
        {
            for (var i = 0; i < 10; i++)
            {
                _lan.Network.Inject(i % 2 == 0 ? ptrQuery : quQuery, flooder);
            }

            _lan.Run(TimeSpan.FromMilliseconds(1));
        }

        var replies = _lan.Network.Sent.Skip(count).Where(p => SimulatedLan.Parse(p.Data).IsResponse).ToArray();
        Assert.InRange(replies.Count(p => p.UnicastTo is null), 4, 6); // one multicast a second
        // 20 unicast replies a second to one source at most, every second of the flood.
        var unicast = replies.Where(p => p.UnicastTo is not null).GroupBy(p => (int)(p.At - replies[0].At).TotalSeconds).ToArray();
        Assert.InRange(unicast.Sum(g => g.Count()), 4 * 20, 5 * 20);
        Assert.All(unicast, second => Assert.True(second.Count() <= 20, $"{second.Count()} unicast replies in second {second.Key}"));

        var browser = _lan.Add("c", "10.0.0.3", announce: false);
        _lan.Run(2);
        Assert.Equal(a.Profile!.NodeId, Assert.Single(browser.Discovery.Services).NodeId);
    }

    [Fact]
    public void A_flood_of_made_up_services_fills_at_most_the_instance_cap_and_a_known_peer_stays_listed()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(3);
        var attacker = new IPEndPoint(IPAddress.Parse("10.0.0.66"), 5353);

        for (var i = 0; i < 2000; i++)
        {
            var instance = ServiceProfile.ServiceType.Prepend($"fake {i}");
            var host = DnsName.Of($"fake-{i}", "local");
            DnsRecord[] records =
            [
                new(ServiceProfile.ServiceType, DnsRecordType.Ptr, 4500, new PointerData(instance)),
                new(instance, DnsRecordType.Srv, 4500, new ServiceData(0, 0, 1, host), CacheFlush: true),
                new(instance, DnsRecordType.Txt, 4500, TextData.FromPairs([new("id", "nonsense")]), CacheFlush: true),
                new(host, DnsRecordType.A, 4500, new AddressData(new IPAddress([10, 9, (byte)(i >> 8), (byte)i])), CacheFlush: true),
                // SRV and TXT of instances no pointer names are not kept at all.
                new(ServiceProfile.ServiceType.Prepend($"orphan {i}"), DnsRecordType.Srv, 4500, new ServiceData(0, 0, 1, host), CacheFlush: true),
            ];
            _lan.Network.Inject(DnsMessage.Response(records).ToArray(), attacker);
            _lan.Run(TimeSpan.FromMilliseconds(1));
        }

        _lan.Run(5);

        Assert.InRange(a.Discovery.Services.Count, 2, Node.Federation.Discovery.Internal.Browser.MaxInstances);
        Assert.Contains(a.Discovery.Services, s => s.NodeId == b.Profile!.NodeId);
        Assert.DoesNotContain(a.Discovery.Services, s => s.InstanceLabel.StartsWith("orphan", StringComparison.Ordinal));
        Assert.Empty(a.ChangesOf(DiscoveryChangeKind.Lost));

        // With 256 pointers known, a browse query still goes out (its known answers capped to fit).
        var count = _lan.Network.Sent.Count;
        a.Discovery.QueryNow();
        _lan.Run(1);
        Assert.Contains(_lan.Sent().Skip(count), p => p.From == "a" && !p.Message.IsResponse && p.Message.Questions.Any(q => q.Type == DnsRecordType.Ptr));
    }

    [Fact]
    public void A_forged_goodbye_for_our_records_is_answered_by_announcing_them_again()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(5);
        var forged = Announced(a).Answers.Select(r => r.WithTtl(0)).ToArray();
        var count = _lan.Network.Sent.Count;

        _lan.Network.Inject(DnsMessage.Response(forged).ToArray(), new IPEndPoint(IPAddress.Parse("10.0.0.66"), 5353));
        _lan.Run(3);

        var again = _lan.Sent().Skip(count).Where(p => p.From == "a" && p.Message.IsResponse).SelectMany(p => p.Message.Answers).ToArray();
        Assert.Contains(again, r => r.Type == DnsRecordType.Srv && r.Ttl == 120);
        Assert.Contains(again, r => r.Type == DnsRecordType.Ptr && r.Ttl == 4500);
        Assert.Single(b.Discovery.Services);
        Assert.Empty(b.ChangesOf(DiscoveryChangeKind.Lost));
    }

    [Fact]
    public void A_flood_of_conflicting_responses_renames_at_most_once_per_probe_and_then_backs_off()
    {
        var id = SimulatedLan.NewNodeId();
        var a = _lan.Add("a", "10.0.0.1", id);
        var attacker = new IPEndPoint(IPAddress.Parse("10.0.0.66"), 5353);
        var profile = new ServiceProfile(id, 8102);

        // Every 10 ms for 20 s: a different SRV for each of the next 100 names we could rename to.
        for (var tick = 0; tick < 2000; tick++)
        {
            var claims = Enumerable.Range(1, 100).Select(n => new DnsRecord(ServiceProfile.ServiceType.Prepend(profile.InstanceLabel(n)), DnsRecordType.Srv, 120,
                new ServiceData(0, 0, 1, DnsName.Of("attacker", "local")), CacheFlush: true)).ToArray();
            _lan.Network.Inject(DnsMessage.Response(claims[..50]).ToArray(), attacker);
            _lan.Network.Inject(DnsMessage.Response(claims[50..]).ToArray(), attacker);
            _lan.Run(TimeSpan.FromMilliseconds(10));
        }

        // A rename needs a probe of the new name first, and after 15 in 10 s the next probe waits 5 s:
        // about 15 + 2 a 10 s window at most, not one per packet (4,000 packets).
        var attempt = int.Parse(a.Discovery.InstanceName!.Split('(', ')')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(attempt, 2, 40);
    }

    [Fact]
    public void A_browse_only_node_announces_nothing_and_queries_now_on_demand()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var browser = _lan.Add("c", "10.0.0.3", announce: false);
        _lan.Run(TimeSpan.FromMinutes(5));
        var count = _lan.Network.Sent.Count;

        browser.Discovery.QueryNow();
        _lan.Run(1);

        Assert.DoesNotContain(_lan.Sent(), p => p.From == "c" && p.Message.IsResponse);
        Assert.Contains(_lan.Sent().Skip(count), p => p.From == "c" && !p.Message.IsResponse && p.Message.Answers.Count == 0);
        Assert.Contains(_lan.Sent().Skip(count), p => p.From == "a" && p.Message.IsResponse);
        Assert.Null(browser.Discovery.Diagnose().InstanceName);
        Assert.Equal(a.Profile!.NodeId, Assert.Single(browser.Discovery.Services).NodeId);
    }

    [Fact]
    public void The_txt_record_carries_the_node_name_only_when_it_is_fit_to_show()
    {
        var id = SimulatedLan.NewNodeId();
        Assert.Contains(new KeyValuePair<string, string>("name", "kitchen"), new ServiceProfile(id, 8102, Name: "kitchen").TxtPairs());
        Assert.DoesNotContain(new ServiceProfile(id, 8102, Name: " padded").TxtPairs(), p => p.Key == "name");
        Assert.DoesNotContain(new ServiceProfile(id, 8102, Name: new string('x', 65)).TxtPairs(), p => p.Key == "name");
        Assert.Equal(["txtvers", "id", "proto"], new ServiceProfile(id, 8102).TxtPairs().Select(p => p.Key));
    }

    [Fact]
    public void Service_type_enumeration_names_our_type()
    {
        _lan.Add("a", "10.0.0.1");
        _lan.Run(5);
        var count = _lan.Network.Sent.Count;

        _lan.Network.Inject(DnsMessage.Query([new DnsQuestion(DnsName.Parse("_services._dns-sd._udp.local"), DnsRecordType.Ptr)]).ToArray(),
            new IPEndPoint(IPAddress.Parse("10.0.0.9"), 5353));
        _lan.Run(1);

        var answer = Assert.Single(Assert.Single(_lan.Sent().Skip(count), p => p.Message.IsResponse).Message.Answers);
        Assert.Equal(ServiceProfile.ServiceType, ((PointerData)answer.Data).Target);
    }

    [Fact]
    public void An_interface_that_goes_loses_its_peers_and_one_that_comes_back_probes_and_finds_them_again()
    {
        var a = _lan.Add("a", "10.0.0.1");
        var b = _lan.Add("b", "10.0.0.2");
        _lan.Run(3);

        _lan.Network.SetConnected(a.Transport, false);
        Assert.Equal(LossReason.InterfaceGone, Assert.Single(a.ChangesOf(DiscoveryChangeKind.Lost)).Reason);
        Assert.Empty(a.Discovery.Services);
        Assert.Empty(a.Discovery.Diagnose().Links);

        var back = _lan.Time.GetUtcNow();
        _lan.Network.SetConnected(a.Transport, true);
        _lan.Run(3);

        Assert.Single(a.Discovery.Services);
        Assert.Equal(2, a.ChangesOf(DiscoveryChangeKind.Found).Count);
        Assert.Contains(_lan.Sent(), p => p.From == "a" && p.At > back && p.Message.Authorities.Count > 0); // probed again
        Assert.Equal(a.Profile!.NodeId.ToString(), a.Discovery.InstanceName);
    }

    [Fact]
    public void A_node_does_not_list_itself()
    {
        var a = _lan.Add("a", "10.0.0.1");
        _lan.Run(5);

        Assert.Empty(a.Discovery.Services);
        Assert.Empty(a.Changes);
    }

    private DnsMessage Announced(SimulatedNode node) =>
        _lan.Sent().Last(p => p.From == node.Name && p.Message.IsResponse && p.Message.Answers.Any(r => r.Type == DnsRecordType.Srv)).Message;

    public void Dispose() => _lan.Dispose();
}
