namespace Node.Federation.Discovery;

/// <summary>Placeholder for the real options (replaced on merge).</summary>
public sealed class UdpMdnsTransportOptions
{
    /// <summary>Interface allow-list; empty means all.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    /// <summary>Whether to use IPv4.</summary>
    public bool UseIPv4 { get; init; } = true;

    /// <summary>Whether to use IPv6.</summary>
    public bool UseIPv6 { get; init; } = true;

    /// <summary>The UDP port.</summary>
    public int Port { get; init; } = 5353;

    /// <summary>How often interfaces are rescanned.</summary>
    public TimeSpan? RescanInterval { get; init; } = TimeSpan.FromSeconds(30);
}
