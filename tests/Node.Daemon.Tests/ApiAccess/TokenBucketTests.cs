using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Api.Access;

namespace Node.Daemon.Tests.ApiAccess;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_refusal_says_when_to_retry()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucket(time, permitsPerSecond: 4, capacity: 2);
        bucket.AttemptAcquire(2).Dispose();

        using var refused = bucket.AttemptAcquire(1);

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var after));
        Assert.Equal(TimeSpan.FromMilliseconds(250), after);
    }

    [Fact]
    public void Statistics_count_what_was_granted_and_refused()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucket(time, permitsPerSecond: 1, capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            bucket.AttemptAcquire(1).Dispose();
        }

        time.Advance(TimeSpan.FromSeconds(1));
        var statistics = bucket.GetStatistics()!;

        Assert.Equal((1, 3, 2, 0), (statistics.CurrentAvailablePermits, statistics.TotalSuccessfulLeases, statistics.TotalFailedLeases, statistics.CurrentQueuedCount));
    }

    [Fact]
    public async Task Asking_asynchronously_never_waits()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucket(time, permitsPerSecond: 1, capacity: 1);

        using var first = await bucket.AcquireAsync(1, TestContext.Current.CancellationToken);
        using var second = await bucket.AcquireAsync(1, TestContext.Current.CancellationToken);

        Assert.True(first.IsAcquired);
        Assert.False(second.IsAcquired);
    }

    [Fact]
    public void Zero_permits_asks_without_taking_and_more_than_the_capacity_is_an_error()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TokenBucket(time, permitsPerSecond: 1, capacity: 1);

        Assert.True(bucket.AttemptAcquire(0).IsAcquired);
        Assert.True(bucket.AttemptAcquire(1).IsAcquired);
        Assert.False(bucket.AttemptAcquire(0).IsAcquired);
        Assert.Throws<ArgumentOutOfRangeException>(() => bucket.AttemptAcquire(2));
    }
}
