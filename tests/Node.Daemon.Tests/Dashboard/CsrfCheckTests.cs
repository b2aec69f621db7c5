using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Dashboard;

namespace Node.Daemon.Tests.Dashboard;

/// <summary>Which state-changing requests of a session are taken: same origin, with the session's token.</summary>
public sealed class CsrfCheckTests
{
    private const string Own = "http://127.0.0.1:8101";

    private static DashboardSession Session()
    {
        var access = new DashboardAccess(Options.Create(new DashboardOptions()), new FakeTimeProvider());
        access.SignIn(access.CreateLoginLink().Token, out var cookie);
        return access.FindSession(cookie)!;
    }

    [Fact]
    public void The_pages_own_request_with_the_sessions_token_is_allowed()
    {
        var session = Session();

        Assert.Equal(CsrfOutcome.Allowed, CsrfCheck.Check(session, session.CsrfToken, Own, "same-origin", Own));
        // An older browser sends neither header: the token is still needed, and enough.
        Assert.Equal(CsrfOutcome.Allowed, CsrfCheck.Check(session, session.CsrfToken, null, null, Own));
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    [InlineData("none")]
    public void A_request_the_browser_says_another_site_sent_is_refused_even_with_the_token(string fetchSite)
    {
        var session = Session();

        Assert.Equal(CsrfOutcome.CrossSite, CsrfCheck.Check(session, session.CsrfToken, Own, fetchSite, Own));
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://127.0.0.1:8102")]
    [InlineData("https://127.0.0.1:8101")]
    [InlineData("null")]
    public void A_request_from_another_origin_is_refused_even_with_the_token(string origin)
    {
        var session = Session();

        Assert.Equal(CsrfOutcome.CrossOrigin, CsrfCheck.Check(session, session.CsrfToken, origin, null, Own));
    }

    [Fact]
    public void A_request_without_the_token_or_with_another_is_refused()
    {
        var session = Session();
        var other = Session();

        Assert.Equal(CsrfOutcome.MissingToken, CsrfCheck.Check(session, null, Own, "same-origin", Own));
        Assert.Equal(CsrfOutcome.MissingToken, CsrfCheck.Check(session, "", Own, "same-origin", Own));
        Assert.Equal(CsrfOutcome.WrongToken, CsrfCheck.Check(session, other.CsrfToken, Own, "same-origin", Own));
        Assert.Equal(CsrfOutcome.WrongToken, CsrfCheck.Check(session, session.CsrfToken + "x", Own, "same-origin", Own));
    }
}
