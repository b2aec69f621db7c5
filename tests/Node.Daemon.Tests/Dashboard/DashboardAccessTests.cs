using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Dashboard;

namespace Node.Daemon.Tests.Dashboard;

/// <summary>The login links, sessions and metrics token of the dashboard, on a fake clock.</summary>
public sealed class DashboardAccessTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(2);

    private readonly FakeTimeProvider _time = new(Start);

    private DashboardAccess Access() => new(Options.Create(new DashboardOptions { LoginLinkLifetime = LinkLifetime }), _time);

    private static string SignIn(DashboardAccess access)
    {
        var (token, _) = access.CreateLoginLink();
        Assert.Equal(LoginOutcome.SignedIn, access.SignIn(token, out var cookie));
        return cookie!;
    }

    [Fact]
    public void A_login_link_starts_a_session_once_and_is_refused_as_used_after()
    {
        var access = Access();
        var (token, expiresAt) = access.CreateLoginLink();

        var first = access.SignIn(token, out var cookie);
        var second = access.SignIn(token, out var again);

        Assert.Equal((LoginOutcome.SignedIn, LoginOutcome.AlreadyUsed), (first, second));
        Assert.Equal(Start + LinkLifetime, expiresAt);
        Assert.NotNull(access.FindSession(cookie));
        Assert.Null(again);
    }

    [Fact]
    public void A_login_link_works_until_its_lifetime_ends_and_is_refused_as_expired_from_then_on()
    {
        var access = Access();
        var (late, _) = access.CreateLoginLink();
        var (inTime, _) = access.CreateLoginLink();

        _time.Advance(LinkLifetime - TimeSpan.FromMilliseconds(1));
        var justInTime = access.SignIn(inTime, out _);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var expired = access.SignIn(late, out var cookie);

        Assert.Equal((LoginOutcome.SignedIn, LoginOutcome.Expired), (justInTime, expired));
        Assert.Null(cookie);
        Assert.Equal(1, access.SessionCount);
    }

    [Fact]
    public void A_spent_or_expired_link_is_forgotten_an_hour_after_its_expiry()
    {
        var access = Access();
        var (token, _) = access.CreateLoginLink();

        _time.Advance(LinkLifetime + DashboardAccess.RememberedLinks);

        Assert.Equal(LoginOutcome.Unknown, access.SignIn(token, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_token_this_node_did_not_make_is_unknown(string? token)
    {
        var access = Access();
        access.CreateLoginLink();

        Assert.Equal(LoginOutcome.Unknown, access.SignIn(token, out var cookie));
        Assert.Null(cookie);
    }

    [Fact]
    public void Links_and_cookies_are_256_random_bits_each_different()
    {
        var access = Access();
        var tokens = Enumerable.Range(0, 10).Select(_ => access.CreateLoginLink().Token).ToList();
        var cookies = tokens.Select(t => access.SignIn(t, out var c) == LoginOutcome.SignedIn ? c! : "").ToList();

        Assert.All(tokens.Concat(cookies), s => Assert.Equal(43, s.Length));
        Assert.Equal(20, tokens.Concat(cookies).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_session_used_within_its_idle_timeout_stays_and_one_left_idle_that_long_ends()
    {
        var access = Access();
        var busy = SignIn(access);
        var idle = SignIn(access);

        _time.Advance(DashboardAccess.SessionIdleTimeout - TimeSpan.FromSeconds(1));
        Assert.NotNull(access.FindSession(busy));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.NotNull(access.FindSession(busy));
        Assert.Null(access.FindSession(idle));
        Assert.Equal(1, access.SessionCount);
    }

    [Fact]
    public void A_session_ends_at_its_lifetime_however_busy()
    {
        var access = Access();
        var cookie = SignIn(access);

        for (var elapsed = TimeSpan.Zero; elapsed < DashboardAccess.SessionLifetime - TimeSpan.FromMinutes(10); elapsed += TimeSpan.FromMinutes(10))
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            Assert.NotNull(access.FindSession(cookie));
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(access.FindSession(cookie));
    }

    [Fact]
    public void Logging_out_ends_the_session_and_its_cookie_opens_nothing_more()
    {
        var access = Access();
        var cookie = SignIn(access);
        var other = SignIn(access);

        access.SignOut(access.FindSession(cookie)!);

        Assert.Null(access.FindSession(cookie));
        Assert.NotNull(access.FindSession(other));
    }

    [Fact]
    public void Past_the_most_sessions_a_new_login_ends_the_one_idle_longest()
    {
        var access = Access();
        var oldest = SignIn(access);
        var rest = new List<string>();
        for (var i = 1; i < DashboardAccess.MaxSessions; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            rest.Add(SignIn(access));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var newest = SignIn(access);

        Assert.Null(access.FindSession(oldest));
        Assert.NotNull(access.FindSession(newest));
        Assert.All(rest, c => Assert.NotNull(access.FindSession(c)));
    }

    [Fact]
    public void Only_the_metrics_token_opens_metrics_and_it_opens_no_session()
    {
        var access = Access();
        var (link, _) = access.CreateLoginLink();
        var cookie = SignIn(access);

        Assert.True(access.IsMetricsToken(access.MetricsToken));
        Assert.False(access.IsMetricsToken(cookie));
        Assert.False(access.IsMetricsToken(link));
        Assert.False(access.IsMetricsToken(access.MetricsToken[..^1] + (access.MetricsToken[^1] == 'A' ? 'B' : 'A')));
        Assert.False(access.IsMetricsToken(null));
        Assert.Null(access.FindSession(access.MetricsToken));
        Assert.Equal(LoginOutcome.Unknown, access.SignIn(access.MetricsToken, out _));
    }

    [Fact]
    public void Each_node_start_has_its_own_metrics_token()
    {
        Assert.NotEqual(Access().MetricsToken, Access().MetricsToken);
    }
}
