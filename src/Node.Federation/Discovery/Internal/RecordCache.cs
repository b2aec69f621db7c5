using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

/// <summary>
/// The browser's cache: records by identity, indexed by name and type, with the SRV targets
/// counted, so that looking up a set or a host is O(1) however full the cache (a flood of
/// responses must not make each packet cost the square of the cache). Not thread-safe.
/// </summary>
internal sealed class RecordCache(int capacity)
{
    private readonly Dictionary<DnsRecord, CacheEntry> _entries = [];
    private readonly Dictionary<(DnsName Name, DnsRecordType Type), List<CacheEntry>> _sets = [];
    private readonly Dictionary<DnsName, int> _targets = [];

    public int Count => _entries.Count;

    public IEnumerable<CacheEntry> Entries => _entries.Values;

    /// <summary>The entry holding the same record (name, type, class, data), whatever its TTL.</summary>
    public CacheEntry? Find(DnsRecord record) => _entries.GetValueOrDefault(Key(record));

    /// <summary>The entries of one name and type.</summary>
    public IReadOnlyList<CacheEntry> Set(DnsName name, DnsRecordType type) =>
        _sets.TryGetValue((name, type), out var set) ? set : [];

    /// <summary>The newest record of one name and type, or null.</summary>
    public DnsRecord? Newest(DnsName name, DnsRecordType type)
    {
        CacheEntry? newest = null;
        foreach (var entry in Set(name, type))
        {
            if (newest is null || entry.ReceivedAt > newest.ReceivedAt)
            {
                newest = entry;
            }
        }

        return newest?.Record;
    }

    /// <summary>Whether some cached SRV names <paramref name="host"/> as its target.</summary>
    public bool IsServiceTarget(DnsName host) => _targets.ContainsKey(host);

    /// <summary>Puts <paramref name="entry"/> in place of the same record; false when it is new and the cache is full.</summary>
    public bool Put(CacheEntry entry)
    {
        var key = Key(entry.Record);
        if (_entries.Remove(key, out var old))
        {
            Unindex(old);
        }
        else if (_entries.Count >= capacity)
        {
            return false;
        }

        _entries.Add(key, entry);
        var setKey = (entry.Record.Name, entry.Record.Type);
        if (!_sets.TryGetValue(setKey, out var set))
        {
            _sets.Add(setKey, set = []);
        }

        set.Add(entry);
        if (entry.Record.Data is ServiceData srv)
        {
            _targets[srv.Target] = _targets.GetValueOrDefault(srv.Target) + 1;
        }

        return true;
    }

    /// <summary>Removes what has expired by <paramref name="now"/>; true when anything went.</summary>
    public bool RemoveExpired(long now)
    {
        List<DnsRecord>? expired = null;
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                (expired ??= []).Add(key);
            }
        }

        foreach (var key in expired ?? [])
        {
            _entries.Remove(key, out var entry);
            Unindex(entry!);
        }

        return expired is not null;
    }

    public long NextExpiry()
    {
        var next = long.MaxValue;
        foreach (var entry in _entries.Values)
        {
            next = Math.Min(next, entry.ExpiresAt);
        }

        return next;
    }

    public long NextRefresh()
    {
        var next = long.MaxValue;
        foreach (var entry in _entries.Values)
        {
            next = Math.Min(next, entry.RefreshDue);
        }

        return next;
    }

    private void Unindex(CacheEntry entry)
    {
        var setKey = (entry.Record.Name, entry.Record.Type);
        if (_sets.TryGetValue(setKey, out var set))
        {
            set.Remove(entry);
            if (set.Count == 0)
            {
                _sets.Remove(setKey);
            }
        }

        if (entry.Record.Data is ServiceData srv && _targets.TryGetValue(srv.Target, out var count))
        {
            if (count <= 1)
            {
                _targets.Remove(srv.Target);
            }
            else
            {
                _targets[srv.Target] = count - 1;
            }
        }
    }

    private static DnsRecord Key(DnsRecord record) => record with { Ttl = 0, CacheFlush = false };
}
