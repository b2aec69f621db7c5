using System.Net;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

/// <summary>
/// The browser of one interface (RFC 6762 §5, RFC 6763): asks for <c>_sovereign._tcp.local</c> with
/// the RFC's back-off (1 s, doubling, at most an hour) and known answers, caches what answers with
/// TTL expiry, cache-flush and goodbyes, refreshes records at 80–95 % of their TTL, resolves
/// instances (SRV, TXT, addresses) and reports services found, changed and lost. Not thread-safe:
/// the discovery calls it under its lock; times are milliseconds of a monotonic clock.
/// </summary>
internal sealed class Browser(LinkOutput output, Random random, TimeProvider time, int interfaceIndex, Func<DnsRecord, bool> isOurs)
{
    public const int MaxCacheEntries = 2048;

    /// <summary>Records of one name and type kept at most, pointers aside (addresses of one host, SRVs of one instance).</summary>
    public const int MaxPerName = 32;

    /// <summary>Instances followed at most: pointers to more are refused (a flood of made-up services).</summary>
    public const int MaxInstances = 256;
    public const long MaxQueryIntervalMs = 3_600_000;
    private const int ResolveRetryMs = 1000;
    private const int ResolveAttempts = 3;

    private readonly RecordCache _cache = new(MaxCacheEntries);
    private readonly Dictionary<(DnsName, DnsRecordType), (long At, int Count)> _asked = [];
    private Dictionary<DnsName, DiscoveredService> _services = [];
    private readonly HashSet<DnsName> _saidGoodbye = [];
    private readonly byte[] _scratch = new byte[DnsMessage.MaxSize];
    private long _nextQueryAt = long.MaxValue;
    private long _queryIntervalMs = 1000;
    private long _nextExpiry = long.MaxValue;
    private long _nextRefresh = long.MaxValue;
    private long _nextResolve = long.MaxValue;

    public IReadOnlyCollection<DiscoveredService> Services => _services.Values;

    public long NextDue => Math.Min(Math.Min(_nextQueryAt, _nextExpiry), Math.Min(_nextRefresh, _nextResolve));

    /// <summary>Starts browsing: the first query goes after 20–120 ms (RFC 6762 §5.2).</summary>
    public void Start(long now)
    {
        _queryIntervalMs = 1000;
        _nextQueryAt = now + random.Next(20, 121);
    }

    /// <summary>Asks now with no known answers but our own, so that every other instance answers; the back-off starts again.</summary>
    public void QueryNow(long now, IReadOnlyList<DnsRecord> own)
    {
        Send([new DnsQuestion(ServiceProfile.ServiceType, DnsRecordType.Ptr)], [.. own]);
        _nextQueryAt = now + 1000;
        _queryIntervalMs = 2000;
    }

    public void Stop() => _nextQueryAt = _nextExpiry = _nextRefresh = _nextResolve = long.MaxValue;

    /// <summary>Takes in a response's records; changes to services go to <paramref name="changes"/>.</summary>
    public void Receive(DnsMessage response, long now, List<DiscoveryChange> changes)
    {
        // Our own records come back by multicast loopback: not cached, so never refreshed or listed.
        var records = response.Answers.Concat(response.Additionals).Where(r => !isOurs(r)).ToList();
        // One jitter per packet: records that came together are refreshed together, in one query.
        var jitter = random.NextDouble() * 0.02;
        var added = false;
        // Pointers first, then what they point to, so one packet with PTR+SRV+TXT+A resolves at once.
        foreach (var record in records.Where(IsBrowsedPointer))
        {
            added |= Insert(record, now, jitter);
        }

        // Only for instances a cached pointer names: made-up SRV/TXT records cannot fill the cache.
        foreach (var record in records.Where(r => r.Type is DnsRecordType.Srv or DnsRecordType.Txt && IsInstanceName(r.Name) && IsPointedTo(r.Name)))
        {
            added |= Insert(record, now, jitter);
        }

        foreach (var record in records.Where(r => r.Type is DnsRecordType.A or DnsRecordType.Aaaa && IsTargetOfService(r.Name)))
        {
            added |= Insert(record, now, jitter);
        }

        Assemble(changes);
        if (added)
        {
            _nextResolve = Math.Min(_nextResolve, now); // anything new may leave an instance to resolve
        }

        Schedule();
    }

    /// <summary>
    /// Sends what is due. <paramref name="own"/> are this node's own pointers, listed as known answers
    /// so that our own responder stays quiet (RFC 6762 §7.1).
    /// </summary>
    public void Tick(long now, IReadOnlyList<DnsRecord> own, List<DiscoveryChange> changes)
    {
        var questions = new List<DnsQuestion>();
        var known = new List<DnsRecord>();
        if (now >= _nextQueryAt)
        {
            questions.Add(new DnsQuestion(ServiceProfile.ServiceType, DnsRecordType.Ptr));
            known.AddRange(own);
            known.AddRange(_cache.Set(ServiceProfile.ServiceType, DnsRecordType.Ptr).Where(e => e.HalfLeft(now)).Select(e => e.Record.WithTtl(e.RemainingTtlSeconds(now))));
            _nextQueryAt = now + _queryIntervalMs;
            _queryIntervalMs = Math.Min(_queryIntervalMs * 2, MaxQueryIntervalMs);
        }

        if (now >= _nextExpiry && _cache.RemoveExpired(now))
        {
            Assemble(changes);
            _nextResolve = Math.Min(_nextResolve, now); // a pointer may have outlived its SRV: ask for it again
        }

        if (now >= _nextRefresh)
        {
            foreach (var entry in _cache.Entries.Where(e => e.RefreshDue <= now))
            {
                entry.RefreshSent();
                AddQuestion(questions, entry.Record.Name, entry.Record.Type);
            }
        }

        if (now >= _nextResolve)
        {
            _nextResolve = Resolve(now, questions);
        }

        Send(questions, known);
        Schedule();
    }

    private bool Insert(DnsRecord record, long now, double jitter)
    {
        if (record.CacheFlush)
        {
            // RFC 6762 §10.2: the set of this name and type is now what this packet says; older members go in a second.
            foreach (var entry in _cache.Set(record.Name, record.Type))
            {
                if (now - entry.ReceivedAt > 1000 && !entry.Record.IsSameRecord(record))
                {
                    entry.ExpireSoon(now);
                }
            }
        }

        if (record.Ttl == 0)
        {
            if (_cache.Find(record) is { } existing)
            {
                existing.ExpireSoon(now);
                _saidGoodbye.Add(record.Type == DnsRecordType.Ptr ? ((PointerData)record.Data).Target : record.Name);
            }

            return false;
        }

        if (record.Type == DnsRecordType.Ptr && _cache.Find(record) is null && _cache.Set(record.Name, record.Type).Count >= MaxInstances)
        {
            return false;
        }

        if (record.Type != DnsRecordType.Ptr && _cache.Find(record) is null && _cache.Set(record.Name, record.Type).Count >= MaxPerName)
        {
            return false; // a host with more than 32 addresses, or an instance with 32 SRVs, is a flood
        }

        var added = _cache.Find(record) is null;
        if (!_cache.Put(new CacheEntry(record, now, time.GetUtcNow(), jitter)))
        {
            return false;
        }

        _asked.Remove((record.Name, record.Type));
        return added;
    }

    // Ask again (at most three times, a second apart) for what a pointed-to instance or its host still
    // lacks. Returns when a further question may go, or MaxValue when everything missing has been asked
    // three times (the periodic query will bring it, or its pointer expires). What is no longer needed is
    // forgotten, so the asked-for list stays as small as what is missing.
    private long Resolve(long now, List<DnsQuestion> questions)
    {
        var needed = new HashSet<(DnsName, DnsRecordType)>();
        foreach (var instance in Pointers().Where(i => !_services.ContainsKey(i)))
        {
            var service = Find(instance, DnsRecordType.Srv)?.Data as ServiceData;
            if (service is null)
            {
                needed.Add((instance, DnsRecordType.Srv));
            }

            if (Find(instance, DnsRecordType.Txt) is null)
            {
                needed.Add((instance, DnsRecordType.Txt));
            }

            if (service is not null && Find(service.Target, DnsRecordType.A) is null && Find(service.Target, DnsRecordType.Aaaa) is null)
            {
                needed.Add((service.Target, DnsRecordType.A));
                needed.Add((service.Target, DnsRecordType.Aaaa));
            }
        }

        foreach (var stale in _asked.Keys.Where(k => !needed.Contains(k)).ToList())
        {
            _asked.Remove(stale);
        }

        var next = long.MaxValue;
        foreach (var (name, type) in needed)
        {
            _asked.TryGetValue((name, type), out var asked);
            if (asked.Count >= ResolveAttempts)
            {
                continue;
            }

            if (asked.Count == 0 || now - asked.At >= ResolveRetryMs)
            {
                _asked[(name, type)] = (now, asked.Count + 1);
                AddQuestion(questions, name, type);
                asked = _asked[(name, type)];
            }

            if (asked.Count < ResolveAttempts)
            {
                next = Math.Min(next, asked.At + ResolveRetryMs);
            }
        }

        return next;
    }

    private static void AddQuestion(List<DnsQuestion> questions, DnsName name, DnsRecordType type)
    {
        if (!questions.Any(q => q.Type == type && q.Name.Equals(name)))
        {
            questions.Add(new DnsQuestion(name, type));
        }
    }

    private void Assemble(List<DiscoveryChange> changes)
    {
        var now = new Dictionary<DnsName, DiscoveredService>();
        foreach (var instance in Pointers())
        {
            if (Find(instance, DnsRecordType.Srv) is not { Data: ServiceData srv } || Find(instance, DnsRecordType.Txt) is not { Data: TextData txt })
            {
                continue;
            }

            var hostEntries = _cache.Set(srv.Target, DnsRecordType.A).Concat(_cache.Set(srv.Target, DnsRecordType.Aaaa)).ToArray();
            if (hostEntries.Length == 0)
            {
                continue;
            }

            var addresses = hostEntries.Select(e => WithScope(((AddressData)e.Record.Data).Address)).Distinct().Order(AddressOrder.Instance).ToArray();
            var seen = hostEntries.Concat(_cache.Set(instance, DnsRecordType.Srv)).Concat(_cache.Set(instance, DnsRecordType.Txt)).Max(e => e.SeenAt);
            now[instance] = new DiscoveredService(instance, srv.Target, srv.Port, addresses, txt.Pairs(), interfaceIndex, seen);
        }

        foreach (var (name, service) in now)
        {
            if (!_services.TryGetValue(name, out var before))
            {
                changes.Add(new DiscoveryChange(DiscoveryChangeKind.Found, service));
            }
            else if (!before.IsSameAs(service))
            {
                changes.Add(new DiscoveryChange(DiscoveryChangeKind.Changed, service));
            }
        }

        foreach (var (name, service) in _services)
        {
            if (!now.ContainsKey(name))
            {
                var goodbye = _saidGoodbye.Contains(name) || _saidGoodbye.Contains(service.Host);
                changes.Add(new DiscoveryChange(DiscoveryChangeKind.Lost, service, goodbye ? LossReason.Goodbye : LossReason.Expired));
            }
        }

        _services = now;
        if (_saidGoodbye.Count > 0)
        {
            // Remembered only while one of its records is still in the cache.
            _saidGoodbye.RemoveWhere(n => _cache.Set(n, DnsRecordType.Srv).Count == 0 && _cache.Set(n, DnsRecordType.A).Count == 0
                && _cache.Set(n, DnsRecordType.Aaaa).Count == 0 && !Pointers().Contains(n));
        }
    }

    private void Schedule()
    {
        _nextExpiry = _cache.NextExpiry();
        _nextRefresh = _cache.NextRefresh();
    }

    /// <summary>Questions at most per query message: a refresh round of a full cache goes out as several queries.</summary>
    public const int MaxQuestionsPerQuery = 16;

    // However many questions are due (a cache of 2048 records), each message stays small enough to send;
    // known answers go with the browse question, split over packets with TC when they do not fit in one (RFC 6762 §7.2).
    private void Send(List<DnsQuestion> questions, List<DnsRecord> known)
    {
        for (var i = 0; i < questions.Count; i += MaxQuestionsPerQuery)
        {
            var batch = questions.GetRange(i, Math.Min(MaxQuestionsPerQuery, questions.Count - i));
            var answers = batch.Any(q => q.Type == DnsRecordType.Ptr) ? known : [];
            foreach (var packet in KnownAnswerPackets.Split(batch, answers, _scratch))
            {
                output.Multicast(packet);
            }
        }
    }

    // Only pointers of the browsed type are ever cached (see Receive).
    private IEnumerable<DnsName> Pointers() =>
        _cache.Set(ServiceProfile.ServiceType, DnsRecordType.Ptr).Select(e => ((PointerData)e.Record.Data).Target).Distinct();

    private DnsRecord? Find(DnsName name, DnsRecordType type) => _cache.Newest(name, type);

    private bool IsTargetOfService(DnsName name) => _cache.IsServiceTarget(name);

    private bool IsPointedTo(DnsName instance) =>
        _cache.Find(new DnsRecord(ServiceProfile.ServiceType, DnsRecordType.Ptr, 0, new PointerData(instance))) is not null;

    private static bool IsBrowsedPointer(DnsRecord record) =>
        record.Type == DnsRecordType.Ptr && record.Name.Equals(ServiceProfile.ServiceType) && record.Data is PointerData p && IsInstanceName(p.Target);

    private static bool IsInstanceName(DnsName name) =>
        name.Labels.Count == ServiceProfile.ServiceType.Labels.Count + 1 && name.EndsWith(ServiceProfile.ServiceType);

    // A link-local IPv6 address is only usable with the interface it was seen on.
    private IPAddress WithScope(IPAddress address) =>
        address.IsIPv6LinkLocal && address.ScopeId == 0 ? new IPAddress(address.GetAddressBytes(), interfaceIndex) : address;

    private sealed class AddressOrder : IComparer<IPAddress>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(IPAddress? x, IPAddress? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var c = x.AddressFamily.CompareTo(y.AddressFamily);
            return c != 0 ? c : x.GetAddressBytes().AsSpan().SequenceCompareTo(y.GetAddressBytes());
        }
    }
}
