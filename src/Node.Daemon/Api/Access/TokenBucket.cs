using System.Threading.RateLimiting;

namespace Node.Daemon.Api.Access;

/// <summary>
/// A token bucket (a <see cref="RateLimiter"/>) that reads time from a <see cref="TimeProvider"/>:
/// it holds up to <c>capacity</c> permits and gains <c>permitsPerSecond</c>, credited exactly
/// (in 100 ns ticks, no floating point) whenever it is asked. A request it cannot serve at once
/// is refused, never queued; the refusal carries <see cref="MetadataName.RetryAfter"/>.
/// </summary>
/// <remarks>
/// Why not the in-box <see cref="TokenBucketRateLimiter"/>: it takes no clock. Its automatic
/// refill runs on a wall-clock timer, and its manual one (<c>AutoReplenishment = false</c>,
/// <c>TryReplenish()</c>) credits the <see cref="System.Diagnostics.Stopwatch"/> time since the last
/// refill, so it cannot be driven from a fake clock either. This one needs no timer at all: an
/// idle node is not woken to refill buckets nobody is using.
/// </remarks>
internal sealed class TokenBucket : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly long _permitsPerSecond;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private long _credit;   // permits × TicksPerSecond
    private long _creditedTo; // ticks since _origin
    private long _granted;
    private long _refused;

    /// <summary>A full bucket.</summary>
    public TokenBucket(TimeProvider time, int permitsPerSecond, int capacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _origin = time.GetTimestamp();
        _permitsPerSecond = permitsPerSecond;
        _capacity = capacity;
        _credit = capacity * TimeSpan.TicksPerSecond;
    }

    /// <summary>Null: a bucket is never idle in the sense of the limiter contract (nothing to dispose of).</summary>
    public override TimeSpan? IdleDuration => null;

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _credit / TimeSpan.TicksPerSecond,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _granted,
                TotalFailedLeases = _refused,
            };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _capacity);
        // Zero permits asks whether one would be granted, and takes nothing.
        var needed = permitCount * TimeSpan.TicksPerSecond;
        var wanted = Math.Max(needed, TimeSpan.TicksPerSecond);
        lock (_gate)
        {
            Refill();
            if (_credit >= wanted)
            {
                _credit -= needed;
                _granted++;
                return Granted;
            }

            _refused++;
            return new Lease(false, TimeSpan.FromTicks((wanted - _credit + _permitsPerSecond - 1) / _permitsPerSecond));
        }
    }

    /// <summary>As <see cref="RateLimiter.AttemptAcquire"/>: a bucket never queues.</summary>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }

    // Credits the ticks since the last refill: permitsPerSecond per 10^7 ticks, exactly, as the
    // ticks telescope from one origin. A long quiet spell only fills the bucket.
    private void Refill()
    {
        var now = _time.GetElapsedTime(_origin).Ticks;
        var full = _capacity * TimeSpan.TicksPerSecond;
        var elapsed = Math.Min(now - _creditedTo, full / _permitsPerSecond + 1);
        _creditedTo = Math.Max(_creditedTo, now);
        if (elapsed > 0)
        {
            _credit = Math.Min(full, _credit + (elapsed * _permitsPerSecond));
        }
    }

    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name ? after : null;
            return metadata is not null;
        }
    }
}
