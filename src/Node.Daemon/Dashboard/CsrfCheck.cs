namespace Node.Daemon.Dashboard;

/// <summary>Why a state-changing request was refused, or that it was not.</summary>
internal enum CsrfOutcome
{
    /// <summary>Same origin, with the session's token.</summary>
    Allowed,

    /// <summary>The browser says another site sent it (<c>Sec-Fetch-Site</c> other than <c>same-origin</c>).</summary>
    CrossSite,

    /// <summary>Its <c>Origin</c> is not the dashboard's own.</summary>
    CrossOrigin,

    /// <summary>No <see cref="CsrfCheck.HeaderName"/> header.</summary>
    MissingToken,

    /// <summary>A <see cref="CsrfCheck.HeaderName"/> that is not the session's token.</summary>
    WrongToken,
}

/// <summary>
/// The defence of state-changing requests (anything but GET and HEAD) against cross-site request
/// forgery, on top of the session cookie (which is SameSite=Strict anyway): the browser's own word
/// (<c>Sec-Fetch-Site</c>, <c>Origin</c>) where it gives one, and always the session's token in a
/// header, which a page of another site can neither read nor set on a request here.
/// </summary>
internal static class CsrfCheck
{
    /// <summary>The header a state-changing request carries the session's token in.</summary>
    public const string HeaderName = "X-CSRF-Token";

    /// <summary>Checks a state-changing request of <paramref name="session"/>.</summary>
    /// <param name="session">The request's session (its cookie already checked).</param>
    /// <param name="token">Its <see cref="HeaderName"/> header, if any.</param>
    /// <param name="origin">Its <c>Origin</c> header, if any.</param>
    /// <param name="fetchSite">Its <c>Sec-Fetch-Site</c> header, if any.</param>
    /// <param name="ownOrigin">The dashboard's origin as the request addressed it: <c>http://</c> and its <c>Host</c>.</param>
    public static CsrfOutcome Check(DashboardSession session, string? token, string? origin, string? fetchSite, string ownOrigin)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!string.IsNullOrEmpty(fetchSite) && !string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return CsrfOutcome.CrossSite;
        }

        if (!string.IsNullOrEmpty(origin) && !string.Equals(origin, ownOrigin, StringComparison.OrdinalIgnoreCase))
        {
            return CsrfOutcome.CrossOrigin;
        }

        if (string.IsNullOrEmpty(token))
        {
            return CsrfOutcome.MissingToken;
        }

        return DashboardSecrets.Matches(token, session.CsrfHash) ? CsrfOutcome.Allowed : CsrfOutcome.WrongToken;
    }
}
