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

    private readonly TokenBuckets _buckets;

    public DashboardRateLimiter(IOptions<DashboardOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _buckets = new TokenBuckets(time, options.Value.RequestsPerSecond, options.Value.Burst, MaxAddresses);
    }

    /// <summary>Takes one request from <paramref name="address"/>'s bucket; false when it is empty.</summary>
    public bool TryAcquire(string address) => _buckets.TryAcquire(address);

    /// <inheritdoc />
    public void Dispose() => _buckets.Dispose();
}
