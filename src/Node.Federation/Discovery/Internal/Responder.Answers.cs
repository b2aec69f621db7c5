// Answering queries (RFC 6762 §6–7): known-answer suppression, unicast and legacy replies within a budget, multicasts queued.
using System.Net;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

internal sealed partial class Responder
{
    public const int LegacyTtlSeconds = 10;

    /// <summary>Questions of one query looked at, at most: a query holds a handful; a 9 KB one of hundreds is a flood.</summary>
    public const int MaxQuestions = 64;

    private readonly UnicastBudget _unicastBudget = new();

    private bool ReceiveQuery(DnsMessage message, IPEndPoint source, long now)
    {
        var records = _records!;
        if (State == ResponderState.Probing)
        {
            return LoseSimultaneousProbe(message, records, now);
        }

        if (Defer(message, source, now))
        {
            return false;
        }

        var legacy = source.Port != MdnsPort;
        Answer(message.Questions, KnownAnswers(message), source, message.Authorities.Count > 0, legacy ? message : null, deferred: false, now);
        return false;
    }

    // Answers the questions, leaving out what the asker knows (RFC 6762 §7.1): unicast what is asked so (QU,
    // legacy), queue the rest for multicast. A legacy query (from a port other than 5353) is passed in to be echoed.
    private void Answer(IReadOnlyList<DnsQuestion> questions, Dictionary<DnsRecord, uint> known, IPEndPoint source, bool isProbe,
        DnsMessage? legacyQuery, bool deferred, long now)
    {
        var records = _records!;
        var unicast = new List<DnsRecord>();
        var multicast = new List<DnsRecord>();
        foreach (var question in questions.Take(MaxQuestions))
        {
            var answers = records.Answering(question).Where(r => !(known.TryGetValue(r with { Ttl = 0, CacheFlush = false }, out var ttl) && ttl >= r.Ttl / 2)).ToList();
            if (answers.Count == 0 && records.Negative(question) is { } negative)
            {
                answers.Add(negative);
            }

            foreach (var answer in answers.Where(a => !unicast.Contains(a) && !multicast.Contains(a)))
            {
                var multicastAt = _lastMulticast.TryGetValue(answer, out var at) ? at : long.MinValue / 2;
                if (legacyQuery is not null || (question.UnicastResponse && now - multicastAt < answer.Ttl * 1000L / 4))
                {
                    unicast.Add(answer);
                }
                else if (now - multicastAt < ProbeDefenseRateLimitMs)
                {
                    // It went out on this link a moment ago: this is the same query arriving over the other
                    // IP family, or one that crossed our answer. Answering again a second later would
                    // only double every answer on a dual-stack link.
                    continue;
                }
                else
                {
                    multicast.Add(answer);
                }
            }
        }

        if (unicast.Count > 0 && _unicastBudget.TryTake(source.Address, now))
        {
            output.Unicast(source, legacyQuery is not null ? LegacyReply(legacyQuery, unicast) : Reply(records, unicast));
        }

        if (multicast.Count > 0)
        {
            // Unique answers go at once; any shared one waits 20–120 ms so responders don't collide (RFC 6762 §6),
            // unless it has waited 400–500 ms for the rest of the known answers already (§7.2).
            var shared = multicast.Any(r => !r.CacheFlush);
            var due = now + (shared && !deferred ? random.Next(20, 121) : 0);
            foreach (var record in multicast.Where(r => !_pending.Contains(r)))
            {
                _pending.Add(record);
            }

            _pendingDefends |= isProbe;
            _pendingAt = Math.Min(_pendingAt, due);
            if (_pendingAt <= now)
            {
                FlushPending(now);
            }
        }
    }

    // RFC 6762 §7.1: what the asker already holds, by record (TTL aside), with the longest TTL it lists; built once per query.
    private static Dictionary<DnsRecord, uint> KnownAnswers(DnsMessage query)
    {
        var known = new Dictionary<DnsRecord, uint>();
        AddKnownAnswers(known, query, int.MaxValue);
        return known;
    }

    private static void AddKnownAnswers(Dictionary<DnsRecord, uint> known, DnsMessage query, int limit)
    {
        foreach (var answer in query.Answers)
        {
            var key = answer with { Ttl = 0, CacheFlush = false };
            if (known.Count >= limit && !known.ContainsKey(key))
            {
                return; // past the limit a known answer is not kept: at worst we answer what the asker knew
            }

            known[key] = Math.Max(known.GetValueOrDefault(key), answer.Ttl);
        }
    }

    private static DnsMessage Reply(ServiceRecords records, List<DnsRecord> answers) =>
        DnsMessage.Response(answers, records.AdditionalFor(answers).ToArray());

    // RFC 6762 §6.7: a legacy resolver gets its id and questions back, short TTLs and no cache-flush bits.
    private static DnsMessage LegacyReply(DnsMessage query, List<DnsRecord> answers) =>
        new(query.Id, DnsMessage.ResponseFlag | DnsMessage.AuthoritativeFlag, query.Questions,
            answers.Select(a => a with { Ttl = Math.Min(a.Ttl, LegacyTtlSeconds), CacheFlush = false }).ToArray());

    /// <summary>At most 20 unicast replies a second to one address, and 200 in all: a flood cannot make us one.</summary>
    private sealed class UnicastBudget
    {
        private const int PerSource = 20;
        private const int Total = 200;
        private readonly Dictionary<IPAddress, int> _counts = [];
        private long? _windowStart;
        private int _total;

        public bool TryTake(IPAddress source, long now)
        {
            if (_windowStart is not { } start || now - start >= 1000)
            {
                _windowStart = now;
                _counts.Clear();
                _total = 0;
            }

            _counts.TryGetValue(source, out var count);
            if (count >= PerSource || _total >= Total)
            {
                return false;
            }

            _counts[source] = count + 1;
            _total++;
            return true;
        }
    }
}
