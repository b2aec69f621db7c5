namespace Node.Federation.Discovery;

/// <summary>How <see cref="UdpMdnsTransport"/> binds and which interfaces it uses.</summary>
public sealed class UdpMdnsTransportOptions
{
    /// <summary>
    /// Names of the interfaces to use (<c>eth0</c>); empty (the default) uses every suitable one:
    /// up, multicast-capable, not loopback, with an IPv4 or IPv6 address. A loopback interface is
    /// used only when named here.
    /// </summary>
    public IReadOnlyList<string> Interfaces { get; set; } = [];

    /// <summary>Whether to speak mDNS over IPv4 (224.0.0.251). Defaults to true.</summary>
    public bool UseIPv4 { get; set; } = true;

    /// <summary>Whether to speak mDNS over IPv6 (ff02::fb). Defaults to true.</summary>
    public bool UseIPv6 { get; set; } = true;

    /// <summary>The UDP port, 5353 by default (RFC 6762); another one only for tests.</summary>
    public int Port { get; set; } = 5353;

    /// <summary>
    /// Time between interface rescans, besides the ones that address-change notifications trigger;
    /// null turns periodic rescans off. Defaults to 30 s.
    /// </summary>
    public TimeSpan? RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether <see cref="System.Net.NetworkInformation.NetworkChange.NetworkAddressChanged"/> triggers a rescan.
    /// Tests that run a transport inside another network namespace (from a thread that entered it)
    /// turn it off: the notification arrives on a thread of the process's own namespace.
    /// </summary>
    internal bool WatchAddressChanges { get; set; } = true;
}
