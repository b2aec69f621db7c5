using System.Net;

namespace Node.Federation.Discovery.Internal;

/// <summary>The mDNS multicast groups (RFC 6762 §3).</summary>
internal static class MdnsGroups
{
    public static readonly IPAddress IPv4 = IPAddress.Parse("224.0.0.251");

    public static readonly IPAddress IPv6 = IPAddress.Parse("ff02::fb");
}
