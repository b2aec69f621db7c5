namespace Node.Daemon.Dashboard;

/// <summary>
/// A browser's session with the dashboard: made by a login link, known by its cookie (kept here
/// as its hash), ended by idling past <see cref="DashboardAccess.SessionIdleTimeout"/>, by
/// reaching <see cref="DashboardAccess.SessionLifetime"/>, by logging out or by the node stopping.
/// </summary>
internal sealed class DashboardSession
{
    internal DashboardSession(byte[] cookieHash, string csrfToken, DateTimeOffset now)
    {
        CookieHash = cookieHash;
        CsrfToken = csrfToken;
        CsrfHash = DashboardSecrets.Hash(csrfToken);
        StartedAt = now;
        LastUsedAt = now;
    }

    /// <summary>The token a state-changing request of this session carries in <see cref="CsrfCheck.HeaderName"/> (the page has it; another site cannot read it).</summary>
    public string CsrfToken { get; }

    internal byte[] CookieHash { get; }

    internal byte[] CsrfHash { get; }

    /// <summary>When the login link made it.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When a request last came with its cookie.</summary>
    public DateTimeOffset LastUsedAt { get; internal set; }
}
