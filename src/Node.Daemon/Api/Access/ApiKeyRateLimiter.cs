using Microsoft.Extensions.Options;

namespace Node.Daemon.Api.Access;

/// <summary>
/// A <see cref="TokenBucket"/> per API key: it holds <see cref="ApiRateLimitOptions.Burst"/> calls
/// and refills at <see cref="ApiRateLimitOptions.PermitsPerSecond"/>. A refused call is not queued.
/// </summary>
/// <remarks>
/// Not <c>PartitionedRateLimiter.Create</c>: it runs a 100 ms wall-clock heartbeat for as long as
/// it lives, to refill and evict partitions; the buckets here need neither (they refill when
/// asked, and there is one per key an operator made).
/// </remarks>
internal sealed class ApiKeyRateLimiter : IDisposable
{
    private readonly TokenBuckets _buckets;

    public ApiKeyRateLimiter(IOptions<ApiRateLimitOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        PermitsPerSecond = options.Value.PermitsPerSecond;
        Burst = options.Value.Burst;
        _buckets = new TokenBuckets(time, PermitsPerSecond, Burst);
    }

    /// <summary>Calls per second each key may sustain.</summary>
    public int PermitsPerSecond { get; }

    /// <summary>Calls a key may make at once when its bucket is full.</summary>
    public int Burst { get; }

    /// <summary>Takes one call from <paramref name="keyId"/>'s bucket.</summary>
    /// <returns>False when the bucket is empty: the call is over the limit.</returns>
    public bool TryAcquire(string keyId) => _buckets.TryAcquire(keyId);

    /// <summary>Drops <paramref name="keyId"/>'s bucket (a revoked key makes no more calls).</summary>
    public void Forget(string keyId) => _buckets.Forget(keyId);

    /// <inheritdoc />
    public void Dispose() => _buckets.Dispose();
}
