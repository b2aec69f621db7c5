using Microsoft.Extensions.Options;

namespace Node.Daemon.Dashboard;

/// <summary>
/// Who may see the dashboard (docs/operator-manual.md, "Dashboard"): one-time login links that
/// <c>nodectl dashboard</c> asks for and the sessions they start, in memory only, so a restart ends
/// every session and link; and the bearer token of <c>/metrics</c>, which a restart keeps. Every secret is 256 random
/// bits, kept as its SHA-256, looked up by it and compared in constant time. Thread-safe.
/// </summary>
internal sealed class DashboardAccess
{
    /// <summary>A session with no request for this long ends.</summary>
    public static readonly TimeSpan SessionIdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after its login, however busy (a new link starts another).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    /// <summary>How long a spent or expired link is remembered past its expiry, so opening it again says so instead of "unknown".</summary>
    public static readonly TimeSpan RememberedLinks = TimeSpan.FromHours(1);

    /// <summary>Sessions kept at most; a new one ends the one idle the longest.</summary>
    public const int MaxSessions = 32;

    /// <summary>Links (unused, spent or expired) remembered at most; a new one forgets the oldest.</summary>
    public const int MaxLinks = 64;

    private readonly TimeProvider _time;
    private readonly TimeSpan _linkLifetime;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Link> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DashboardSession> _sessions = new(StringComparer.Ordinal);
    private readonly Lazy<(string Token, byte[] Hash)> _metrics;

    /// <param name="options">The dashboard's settings.</param>
    /// <param name="time">The clock links and sessions expire by.</param>
    /// <param name="metricsToken">
    /// Where the metrics token comes from, asked once, when first needed (the daemon's: <see cref="MetricsTokenFile"/>);
    /// null for a new one held in memory only.
    /// </param>
    public DashboardAccess(IOptions<DashboardOptions> options, TimeProvider time, Func<string>? metricsToken = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _linkLifetime = options.Value.LoginLinkLifetime;
        _metrics = new(() =>
        {
            var token = (metricsToken ?? DashboardSecrets.New)();
            return (token, DashboardSecrets.Hash(token));
        });
    }

    /// <summary>The bearer token of <c>/metrics</c>: kept across restarts by the daemon (<see cref="MetricsTokenFile"/>).</summary>
    public string MetricsToken => _metrics.Value.Token;

    /// <summary>How long a login link works if unused.</summary>
    public TimeSpan LinkLifetime => _linkLifetime;

    /// <summary>Sessions open now (idle ones not yet noticed included).</summary>
    public int SessionCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>A new login link's token, good once until the time returned.</summary>
    public (string Token, DateTimeOffset ExpiresAt) CreateLoginLink()
    {
        var token = DashboardSecrets.New();
        var now = _time.GetUtcNow();
        var link = new Link(now + _linkLifetime);
        lock (_gate)
        {
            Prune(now);
            if (_links.Count >= MaxLinks)
            {
                _links.Remove(_links.MinBy(l => l.Value.ExpiresAt).Key);
            }

            _links[Key(DashboardSecrets.Hash(token))] = link;
        }

        return (token, link.ExpiresAt);
    }

    /// <summary>
    /// Opens a login link: when it is good, spends it and starts a session, whose cookie is
    /// <paramref name="cookie"/> (give it to the browser; it is not kept here).
    /// </summary>
    public LoginOutcome SignIn(string? token, out string? cookie)
    {
        cookie = null;
        if (!DashboardSecrets.IsWellFormed(token))
        {
            return LoginOutcome.Unknown;
        }

        var hash = DashboardSecrets.Hash(token!);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            Prune(now);
            if (!_links.TryGetValue(Key(hash), out var link))
            {
                return LoginOutcome.Unknown;
            }

            if (link.Used)
            {
                return LoginOutcome.AlreadyUsed;
            }

            if (now >= link.ExpiresAt)
            {
                return LoginOutcome.Expired;
            }

            link.Used = true;
            if (_sessions.Count >= MaxSessions)
            {
                _sessions.Remove(_sessions.MinBy(s => s.Value.LastUsedAt).Key);
            }

            cookie = DashboardSecrets.New();
            var cookieHash = DashboardSecrets.Hash(cookie);
            _sessions[Key(cookieHash)] = new DashboardSession(cookieHash, DashboardSecrets.New(), now);
            return LoginOutcome.SignedIn;
        }
    }

    /// <summary>The session of <paramref name="cookie"/>, marked as used now; null when there is none (unknown, idle too long, too old).</summary>
    public DashboardSession? FindSession(string? cookie)
    {
        if (!DashboardSecrets.IsWellFormed(cookie))
        {
            return null;
        }

        var hash = DashboardSecrets.Hash(cookie!);
        var key = Key(hash);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_sessions.TryGetValue(key, out var session) || !DashboardSecrets.Matches(cookie, session.CookieHash))
            {
                return null;
            }

            if (IsOver(session, now))
            {
                _sessions.Remove(key);
                return null;
            }

            session.LastUsedAt = now;
            return session;
        }
    }

    /// <summary>Ends <paramref name="session"/> (logout): its cookie opens nothing from now on.</summary>
    public void SignOut(DashboardSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (_gate)
        {
            _sessions.Remove(Key(session.CookieHash));
        }
    }

    /// <summary>Whether <paramref name="token"/> is the metrics token (a session cookie or a login link is not).</summary>
    public bool IsMetricsToken(string? token) => DashboardSecrets.Matches(token, _metrics.Value.Hash);

    private static bool IsOver(DashboardSession session, DateTimeOffset now) =>
        now - session.LastUsedAt >= SessionIdleTimeout || now - session.StartedAt >= SessionLifetime;

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, link) in _links)
        {
            if (now - link.ExpiresAt >= RememberedLinks)
            {
                _links.Remove(key);
            }
        }

        foreach (var (key, session) in _sessions)
        {
            if (IsOver(session, now))
            {
                _sessions.Remove(key);
            }
        }
    }

    // A hash is a fine dictionary key: how fast two compare says nothing of the secrets behind them.
    private static string Key(byte[] hash) => Convert.ToHexString(hash);

    private sealed class Link(DateTimeOffset expiresAt)
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool Used { get; set; }
    }
}
