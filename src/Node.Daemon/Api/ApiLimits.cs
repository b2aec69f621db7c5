namespace Node.Daemon.Api;

/// <summary>The local API's bounds (docs/protocol.md, "Local API").</summary>
public static class ApiLimits
{
    /// <summary>Largest request message: 4 MiB. A larger one is refused with RESOURCE_EXHAUSTED before it is read.</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;
}
