namespace Node.Federation.Discovery;

/// <summary>Settings of mDNS discovery (section <c>Federation:Discovery</c>).</summary>
public sealed class DiscoveryOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Federation:Discovery";

    /// <summary>Longest interface name Linux accepts (IFNAMSIZ less its terminating zero).</summary>
    public const int MaxInterfaceNameLength = 15;

    /// <summary>Whether the node announces itself and browses for peers over mDNS. Defaults to true; <c>--no-discovery</c> turns it off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The interfaces mDNS runs on, by name (<c>eth0</c>), each at most 15 characters. Empty, the default,
    /// means every suitable interface (up, multicast-capable, not loopback).
    /// </summary>
    public IList<string> Interfaces { get; set; } = [];

    /// <summary>Whether mDNS also runs over IPv6 (ff02::fb). Defaults to true.</summary>
    public bool IPv6 { get; set; } = true;
}
