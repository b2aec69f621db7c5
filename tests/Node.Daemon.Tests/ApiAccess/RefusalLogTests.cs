using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Api.Access;
using Node.Federation.Diagnostics;

namespace Node.Daemon.Tests.ApiAccess;

public sealed class RefusalLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_refusal_is_logged_by_the_caller_and_the_rest_as_one_count_a_minute()
    {
        var time = new FakeTimeProvider(Start);
        var logger = new FakeLogger<RefusalLog>();
        using var refusals = new RefusalLog(time, logger, "TCP API calls");

        var first = Enumerable.Range(0, 1000).Select(_ => refusals.IsFirst("over the rate limit, API key kaaaaaaaaaa")).ToList();
        Assert.Equal(0, logger.Collector.Count);
        time.Advance(RefusalLog.Window);

        Assert.Equal(1, first.Count(f => f));
        Assert.True(first[0]);
        var summary = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, summary.Level);
        Assert.Equal("999 more TCP API calls refused in the last minute: over the rate limit, API key kaaaaaaaaaa.", summary.Message);
    }

    [Fact]
    public void Each_kind_is_counted_apart()
    {
        var time = new FakeTimeProvider(Start);
        var logger = new FakeLogger<RefusalLog>();
        using var refusals = new RefusalLog(time, logger, "TCP API calls");

        Assert.True(refusals.IsFirst("no API key"));
        Assert.True(refusals.IsFirst("a malformed API key"));
        Assert.False(refusals.IsFirst("no API key"));
        time.Advance(RefusalLog.Window);

        Assert.Equal(["1 more TCP API calls refused in the last minute: no API key."], logger.Collector.GetSnapshot().Select(r => r.Message));
    }

    [Fact]
    public void A_kind_quiet_for_a_minute_is_logged_in_full_again_and_nothing_is_written_while_all_is_quiet()
    {
        var time = new FakeTimeProvider(Start);
        var logger = new FakeLogger<RefusalLog>();
        using var refusals = new RefusalLog(time, logger, "TCP API calls");
        refusals.IsFirst("no API key");
        refusals.IsFirst("no API key");

        time.Advance(RefusalLog.Window);       // the count of one
        time.Advance(RefusalLog.Window);       // a quiet minute: forgotten
        time.Advance(RefusalLog.Window * 10);  // nothing to say

        Assert.Equal(1, logger.Collector.Count);
        Assert.True(refusals.IsFirst("no API key"));
    }
}
