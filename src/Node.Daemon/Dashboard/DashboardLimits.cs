namespace Node.Daemon.Dashboard;

/// <summary>What one request to the dashboard may be.</summary>
internal static class DashboardLimits
{
    /// <summary>The largest request body taken (16 KiB); a larger one is refused with 413 unread.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The most bytes of request headers (16 KiB).</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    /// <summary>Connections open at once, from everyone.</summary>
    public const int MaxConnections = 64;

    /// <summary>Time a client has to send a request's headers.</summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(10);
}
