using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Node.Daemon.Api.Access;

namespace Node.Daemon.Dashboard;

/// <summary>
/// A <see cref="TokenBucket"/> per client address (<see cref="DashboardOptions.RequestsPerSecond"/>,
/// <see cref="DashboardOptions.Burst"/>); a request over it is refused (429), never queued. On
/// loopback every local user is 127.0.0.1, so there it bounds them all together.
/// </summary>
internal sealed class DashboardRateLimiter : IDisposable
{
    /// <summary>Addresses tracked at most; past it the buckets start over (a flood from many addresses costs memory no more).</summary>
    public const int MaxAddresses = 4096;

    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _perSecond;
    private readonly int _burst;

    public DashboardRateLimiter(IOptions<DashboardOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _perSecond = options.Value.RequestsPerSecond;
        _burst = options.Value.Burst;
    }

    /// <summary>Takes one request from <paramref name="address"/>'s bucket; false when it is empty.</summary>
    public bool TryAcquire(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_buckets.Count >= MaxAddresses && !_buckets.ContainsKey(address))
        {
            Dispose();
        }

        var bucket = _buckets.GetOrAdd(address, static (_, self) => new TokenBucket(self._time, self._perSecond, self._burst), this);
        using var lease = bucket.AttemptAcquire(1);
        return lease.IsAcquired;
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
