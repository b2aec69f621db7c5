using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Api.Access;

namespace Node.Daemon.Tests.ApiAccess;

public sealed class ApiKeyRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static ApiKeyRateLimiter Limiter(FakeTimeProvider time, int permitsPerSecond, int burst) =>
        new(Options.Create(new ApiRateLimitOptions { PermitsPerSecond = permitsPerSecond, Burst = burst }), time);

    private static int Acquired(ApiKeyRateLimiter limiter, string key, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => limiter.TryAcquire(key));

    [Fact]
    public void A_key_gets_its_burst_and_then_is_refused()
    {
        var time = new FakeTimeProvider(Start);
        using var limiter = Limiter(time, permitsPerSecond: 10, burst: 25);

        Assert.Equal(25, Acquired(limiter, "kaaaaaaaaaa", 100));
        Assert.False(limiter.TryAcquire("kaaaaaaaaaa"));
    }

    [Fact]
    public void The_bucket_refills_at_the_rate_as_the_clock_advances()
    {
        var time = new FakeTimeProvider(Start);
        using var limiter = Limiter(time, permitsPerSecond: 10, burst: 25);
        Acquired(limiter, "kaaaaaaaaaa", 25);

        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(limiter.TryAcquire("kaaaaaaaaaa"));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Acquired(limiter, "kaaaaaaaaaa", 10));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, Acquired(limiter, "kaaaaaaaaaa", 100));
    }

    [Fact]
    public void A_long_quiet_spell_refills_to_the_burst_and_no_further()
    {
        var time = new FakeTimeProvider(Start);
        using var limiter = Limiter(time, permitsPerSecond: 100, burst: 200);
        Acquired(limiter, "kaaaaaaaaaa", 200);

        time.Advance(TimeSpan.FromDays(3));

        Assert.Equal(200, Acquired(limiter, "kaaaaaaaaaa", 1000));
    }

    [Fact]
    public void A_rate_that_is_not_a_multiple_of_ten_is_kept_exactly()
    {
        var time = new FakeTimeProvider(Start);
        using var limiter = Limiter(time, permitsPerSecond: 3, burst: 2);
        Acquired(limiter, "kaaaaaaaaaa", 2);

        var granted = 0;
        for (var step = 0; step < 3000; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            granted += Acquired(limiter, "kaaaaaaaaaa", 1);
        }

        Assert.Equal(90, granted); // 30 s at 3 per second: no fraction lost between calls
    }

    [Fact]
    public void Keys_have_buckets_of_their_own()
    {
        var time = new FakeTimeProvider(Start);
        using var limiter = Limiter(time, permitsPerSecond: 1, burst: 5);

        Assert.Equal(5, Acquired(limiter, "kaaaaaaaaaa", 10));
        Assert.Equal(5, Acquired(limiter, "kbbbbbbbbbb", 10));
    }

    [Fact]
    public void A_forgotten_key_starts_again_with_a_full_bucket()
    {
        var time = new FakeTimeProvider(Start);
        using var limiter = Limiter(time, permitsPerSecond: 1, burst: 5);
        Acquired(limiter, "kaaaaaaaaaa", 5);

        limiter.Forget("kaaaaaaaaaa");

        Assert.Equal(5, Acquired(limiter, "kaaaaaaaaaa", 10));
    }

    [Fact]
    public async Task Many_threads_together_get_no_more_than_the_burst()
    {
        var time = new FakeTimeProvider(Start);
        using var limiter = Limiter(time, permitsPerSecond: 1, burst: 500);
        var granted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Interlocked.Add(ref granted, Acquired(limiter, "kaaaaaaaaaa", 1000)), TestContext.Current.CancellationToken)));

        Assert.Equal(500, granted);
    }
}
