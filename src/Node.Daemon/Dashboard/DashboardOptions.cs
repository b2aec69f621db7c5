namespace Node.Daemon.Dashboard;

/// <summary>
/// The local dashboard and its <c>/metrics</c> (section <c>Dashboard</c>): HTTP/1.1 on
/// 127.0.0.1:8101, off unless enabled. docs/operator-manual.md, "Dashboard", says how to log in.
/// </summary>
/// <remarks>
/// The listener has no TLS: a session cookie or a metrics token sent to it over a network could be
/// read on the way. <see cref="Address"/> other than loopback is for a network the operator
/// trusts (the node logs a warning at start); from elsewhere, use an SSH tunnel
/// (<c>ssh -L 8101:127.0.0.1:8101 node</c>).
/// </remarks>
public sealed class DashboardOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>The installed port.</summary>
    public const int DefaultPort = 8101;

    /// <summary>The most <see cref="RequestsPerSecond"/> allowed.</summary>
    public const int MaxRequestsPerSecond = 10_000;

    /// <summary>The most <see cref="Burst"/> allowed.</summary>
    public const int MaxBurst = 100_000;

    /// <summary>The longest <see cref="LoginLinkLifetime"/> allowed: one hour.</summary>
    public static readonly TimeSpan MaxLoginLinkLifetime = TimeSpan.FromHours(1);

    /// <summary>Whether the node serves the dashboard at all. Defaults to false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The TCP port, 0 to 65535; 0 picks a free port (the node logs which). Defaults to 8101.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// The IP address to listen on. Defaults to <c>127.0.0.1</c>; any other (<c>::1</c> aside) is
    /// reachable by other machines and makes the node log a warning at start.
    /// </summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>How long a login link from <c>nodectl dashboard</c> works if unused: more than zero, at most 01:00:00. Defaults to 00:02:00.</summary>
    public TimeSpan LoginLinkLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Requests per second each client address may sustain, 1 to 10000; past it, 429. Defaults to 50.</summary>
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Requests a client address may make at once after a quiet spell, 1 to 100000. Defaults to 100.</summary>
    public int Burst { get; set; } = 100;
}
