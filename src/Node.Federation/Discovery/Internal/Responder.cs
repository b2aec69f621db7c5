using System.Net;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

/// <summary>
/// The responder of one interface (RFC 6762 §6–10): probes the instance and host names, announces,
/// answers queries (known-answer suppression, 20–120 ms delay for shared records, at most one
/// multicast of a record per second, unicast replies to QU and legacy queries), defends its names,
/// and says goodbye. Not thread-safe: the discovery calls it under its lock; times are milliseconds
/// of a monotonic clock.
/// </summary>
internal sealed class Responder(LinkOutput output, Random random, Func<DnsRecord, bool> isOurs)
{
    public const int ProbeCount = 3;
    public const int ProbeInterval = 250;
    public const int AnnounceCount = 2;
    public const int AnnounceInterval = 1000;
    public const int RateLimit = 1000;
    public const int ProbeDefenseRateLimit = 250;
    public const int LegacyTtl = 10;
    public const int MdnsPort = 5353;

    private readonly Dictionary<DnsRecord, long> _lastMulticast = [];
    private readonly List<DnsRecord> _pending = [];
    private readonly UnicastBudget _unicastBudget = new();
    private ServiceRecords? _records;
    private int _probesSent;
    private int _announcesSent;
    private long _nextAt = long.MaxValue;
    private long _pendingAt = long.MaxValue;
    private bool _pendingDefends;
    private int _tieLosses;

    public ResponderState State { get; private set; }

    public ServiceRecords? Records => _records;

    /// <summary>Name conflicts seen on this interface.</summary>
    public int Conflicts { get; private set; }

    /// <summary>When <see cref="Tick"/> next has work.</summary>
    public long NextDue => Math.Min(_nextAt, _pendingAt);

    /// <summary>Starts probing <paramref name="records"/> after <paramref name="delay"/> ms (0–250 at start, RFC 6762 §8.1).</summary>
    public void Probe(ServiceRecords records, long now, int delay)
    {
        _records = records;
        State = ResponderState.Probing;
        _probesSent = 0;
        _announcesSent = 0;
        _tieLosses = 0;
        _lastMulticast.Clear();
        _pending.Clear();
        _pendingAt = long.MaxValue;
        _nextAt = now + delay;
    }

    /// <summary>
    /// New records for the same names (an address or the TXT changed): goodbye for what went, then
    /// announce again so caches flush the old (RFC 6762 §8.4). While probing, the probe goes on with the new set.
    /// </summary>
    public void Update(ServiceRecords records, long now)
    {
        var previous = _records;
        _records = records;
        if (previous is null || State is ResponderState.Idle or ResponderState.Probing)
        {
            return;
        }

        var gone = previous.All.Where(old => !records.All.Any(old.IsSameRecord)).Select(r => r.WithTtl(0)).ToArray();
        if (gone.Length > 0)
        {
            output.Multicast(DnsMessage.Response(gone));
        }

        State = ResponderState.Announcing;
        _announcesSent = 0;
        _nextAt = now;
    }

    /// <summary>Sends goodbyes (TTL 0) for everything announced and goes idle.</summary>
    public void Goodbye()
    {
        if (_records is not null && State is ResponderState.Announcing or ResponderState.Announced)
        {
            output.Multicast(DnsMessage.Response(_records.All.Select(r => r.WithTtl(0)).ToArray()));
        }

        State = ResponderState.Idle;
        _nextAt = _pendingAt = long.MaxValue;
        _pending.Clear();
    }

    /// <summary>Does what is due at <paramref name="now"/>: a probe, an announcement, delayed answers.</summary>
    public void Tick(long now)
    {
        if (_records is null)
        {
            return;
        }

        if (now >= _nextAt)
        {
            switch (State)
            {
                case ResponderState.Probing when _probesSent < ProbeCount:
                    // The first probe asks for a unicast reply (RFC 6762 §8.1); the proposed records go in the authority section.
                    var first = _probesSent == 0;
                    var questions = new[] { new DnsQuestion(_records.Instance, DnsRecordType.Any, first), new DnsQuestion(_records.Host, DnsRecordType.Any, first) };
                    output.Multicast(DnsMessage.Query(questions, authorities: _records.Unique));
                    _probesSent++;
                    _nextAt = now + ProbeInterval;
                    break;
                case ResponderState.Probing:
                    State = ResponderState.Announcing;
                    _nextAt = now;
                    Announce(now);
                    break;
                case ResponderState.Announcing:
                    Announce(now);
                    break;
                default:
                    _nextAt = long.MaxValue;
                    break;
            }
        }

        if (now >= _pendingAt)
        {
            FlushPending(now);
        }
    }

    /// <summary>
    /// Handles a message; true when it shows the names taken while probing (the caller renames).
    /// </summary>
    public bool Receive(DnsMessage message, IPEndPoint source, long now)
    {
        if (_records is null || State == ResponderState.Idle)
        {
            return false;
        }

        return message.IsResponse ? ReceiveResponse(message, now) : ReceiveQuery(message, source, now);
    }

    private bool ReceiveResponse(DnsMessage message, long now)
    {
        var records = _records!;
        foreach (var record in message.Answers.Concat(message.Additionals))
        {
            if (State != ResponderState.Probing && records.All.FirstOrDefault(record.IsSameRecord) is { } mine && record.Ttl < mine.Ttl / 2)
            {
                // Someone announced one of our records with a short TTL or as a goodbye (a forged one, or a
                // confused proxy): caches would drop it. Announce it again, within the rate limit (RFC 6762 §6.6).
                QueueMulticast(mine, now);
                continue;
            }

            if (!records.Owns(record.Name) || record.Ttl == 0 || record.Type is not (DnsRecordType.Srv or DnsRecordType.Txt or DnsRecordType.A or DnsRecordType.Aaaa))
            {
                // Duplicate answer suppression (RFC 6762 §7.4): someone else just multicast a shared answer we were about to send.
                SuppressPending(record);
                continue;
            }

            if (isOurs(record))
            {
                continue;
            }

            if (State == ResponderState.Probing && _probesSent == 0)
            {
                // Not probed for these names yet (the first probe is still to go, or the 5 s back-off
                // runs): a response now says nothing about them, and must not rename us again.
                continue;
            }

            Conflicts++;
            if (State == ResponderState.Probing)
            {
                return true;
            }

            // RFC 6762 §9: a conflicting record after announcing sends the name back to probing.
            Probe(records, now, random.Next(0, ProbeInterval + 1));
            return false;
        }

        return false;
    }

    private bool ReceiveQuery(DnsMessage message, IPEndPoint source, long now)
    {
        var records = _records!;
        if (State == ResponderState.Probing)
        {
            return LoseSimultaneousProbe(message, records, now);
        }

        var legacy = source.Port != MdnsPort;
        var unicast = new List<DnsRecord>();
        var multicast = new List<DnsRecord>();
        var isProbe = message.Authorities.Count > 0;
        var known = KnownAnswers(message);
        foreach (var question in message.Questions.Take(MaxQuestions))
        {
            var answers = records.Answering(question).Where(r => !(known.TryGetValue(r with { Ttl = 0, CacheFlush = false }, out var ttl) && ttl >= r.Ttl / 2)).ToList();
            if (answers.Count == 0 && records.Negative(question) is { } negative)
            {
                answers.Add(negative);
            }

            foreach (var answer in answers.Where(a => !unicast.Contains(a) && !multicast.Contains(a)))
            {
                var multicastAt = _lastMulticast.TryGetValue(answer, out var at) ? at : long.MinValue / 2;
                if (legacy || (question.UnicastResponse && now - multicastAt < answer.Ttl * 1000L / 4))
                {
                    unicast.Add(answer);
                }
                else if (now - multicastAt < ProbeDefenseRateLimit)
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
            output.Unicast(source, legacy ? LegacyReply(message, unicast) : Reply(records, unicast));
        }

        if (multicast.Count > 0)
        {
            // Unique answers go at once; any shared one waits 20–120 ms so responders don't collide (RFC 6762 §6).
            var shared = multicast.Any(r => !r.CacheFlush);
            var due = now + (shared ? random.Next(20, 121) : 0);
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

        return false;
    }

    /// <summary>Tie-breaks lost in a row before the names count as taken.</summary>
    public const int MaxTieLosses = 3;

    // RFC 6762 §8.2: a simultaneous probe whose proposed records are later than ours wins; we wait a second and
    // probe again. Our own probe from another interface on the same LAN is no rival. A host that keeps out-probing
    // us (three times in a row) holds the names as far as we are concerned: true, and the caller renames.
    private bool LoseSimultaneousProbe(DnsMessage message, ServiceRecords records, long now)
    {
        foreach (var name in new[] { records.Instance, records.Host })
        {
            var theirs = message.Authorities.Where(r => r.Name.Equals(name)).ToArray();
            if (theirs.Length > 0 && !theirs.All(isOurs) && ProbeTieBreak.Compare(records.UniqueOf(name), theirs) < 0)
            {
                Conflicts++;
                if (++_tieLosses >= MaxTieLosses)
                {
                    return true;
                }

                _probesSent = 0;
                _nextAt = now + 1000;
                return false;
            }
        }

        return false;
    }

    private void QueueMulticast(DnsRecord record, long now)
    {
        if (!_pending.Contains(record))
        {
            _pending.Add(record);
        }

        _pendingAt = Math.Min(_pendingAt, now);
        FlushPending(now);
    }

    private void Announce(long now)
    {
        var records = _records!;
        output.Multicast(DnsMessage.Response(records.All));
        foreach (var record in records.All)
        {
            _lastMulticast[record] = now;
        }

        _announcesSent++;
        if (_announcesSent < AnnounceCount)
        {
            _nextAt = now + AnnounceInterval;
        }
        else
        {
            State = ResponderState.Announced;
            _nextAt = long.MaxValue;
        }
    }

    private void FlushPending(long now)
    {
        var records = _records!;
        var limit = _pendingDefends ? ProbeDefenseRateLimit : RateLimit;
        var ready = new List<DnsRecord>();
        var next = long.MaxValue;
        foreach (var record in _pending)
        {
            var allowedAt = _lastMulticast.TryGetValue(record, out var at) ? at + limit : now;
            if (allowedAt <= now)
            {
                ready.Add(record);
            }
            else
            {
                next = Math.Min(next, allowedAt);
            }
        }

        if (ready.Count > 0)
        {
            output.Multicast(Reply(records, ready));
            foreach (var record in ready)
            {
                _pending.Remove(record);
                _lastMulticast[record] = now;
            }
        }

        _pendingAt = next;
        if (_pending.Count == 0)
        {
            _pendingDefends = false;
        }
    }

    private void SuppressPending(DnsRecord seen)
    {
        var index = _pending.FindIndex(p => p.IsSameRecord(seen) && seen.Ttl >= p.Ttl / 2);
        if (index >= 0)
        {
            _pending.RemoveAt(index);
            if (_pending.Count == 0)
            {
                _pendingAt = long.MaxValue;
            }
        }
    }

    /// <summary>Questions of one query looked at, at most: a query holds a handful; a 9 KB one of hundreds is a flood.</summary>
    public const int MaxQuestions = 64;

    // RFC 6762 §7.1: what the asker already holds, by record (TTL aside), with the longest TTL it lists; built once per query.
    private static Dictionary<DnsRecord, uint> KnownAnswers(DnsMessage query)
    {
        var known = new Dictionary<DnsRecord, uint>();
        foreach (var answer in query.Answers)
        {
            var key = answer with { Ttl = 0, CacheFlush = false };
            known[key] = Math.Max(known.GetValueOrDefault(key), answer.Ttl);
        }

        return known;
    }

    private static DnsMessage Reply(ServiceRecords records, List<DnsRecord> answers) =>
        DnsMessage.Response(answers, records.AdditionalFor(answers).ToArray());

    // RFC 6762 §6.7: a legacy resolver gets its id and questions back, short TTLs and no cache-flush bits.
    private static DnsMessage LegacyReply(DnsMessage query, List<DnsRecord> answers) =>
        new(query.Id, DnsMessage.ResponseFlag | DnsMessage.AuthoritativeFlag, query.Questions,
            answers.Select(a => a with { Ttl = Math.Min(a.Ttl, LegacyTtl), CacheFlush = false }).ToArray());

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
