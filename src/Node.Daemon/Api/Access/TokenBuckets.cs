using System.Collections.Concurrent;

namespace Node.Daemon.Api.Access;

/// <summary>
/// A <see cref="TokenBucket"/> per key (an API key, a client address), made when the key is first seen. A request
/// over its key's bucket is refused, never queued. At most <c>maxKeys</c> buckets are kept: past it they all start
/// over, so a flood of new keys costs memory no more.
/// </summary>
internal sealed class TokenBuckets : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _perSecond;
    private readonly int _burst;
    private readonly int _maxKeys;

    public TokenBuckets(TimeProvider time, int perSecond, int burst, int maxKeys = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(time);
        (_time, _perSecond, _burst, _maxKeys) = (time, perSecond, burst, maxKeys);
    }

    /// <summary>Takes one request from <paramref name="key"/>'s bucket; false when it is empty.</summary>
    public bool TryAcquire(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_buckets.Count >= _maxKeys && !_buckets.ContainsKey(key))
        {
            Dispose();
        }

        var bucket = _buckets.GetOrAdd(key, static (_, self) => new TokenBucket(self._time, self._perSecond, self._burst), this);
        using var lease = bucket.AttemptAcquire(1);
        return lease.IsAcquired;
    }

    /// <summary>Drops <paramref name="key"/>'s bucket.</summary>
    public void Forget(string key)
    {
        if (_buckets.TryRemove(key, out var bucket))
        {
            bucket.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }

        _buckets.Clear();
    }
}
