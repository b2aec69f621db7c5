using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Node.Federation.Discovery.Internal;

/// <summary>
/// Lists the interfaces mDNS can run on. Enumeration (getifaddrs, netlink) happens in the network
/// namespace of the calling thread.
/// </summary>
internal static class InterfaceScanner
{
    /// <summary>The suitable interfaces, by index, after the allow-list.</summary>
    public static List<MdnsInterface> Scan(IReadOnlyList<string> allowList, bool useIPv4, bool useIPv6)
    {
        var found = new List<MdnsInterface>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (Describe(nic, allowList, useIPv4, useIPv6) is { } usable)
            {
                found.Add(usable);
            }
        }

        found.Sort((a, b) => a.Index.CompareTo(b.Index));
        return found;
    }

    private static MdnsInterface? Describe(NetworkInterface nic, IReadOnlyList<string> allowList, bool useIPv4, bool useIPv6)
    {
        var named = allowList.Contains(nic.Name, StringComparer.Ordinal);
        if (allowList.Count > 0 && !named)
        {
            return null;
        }

        var loopback = nic.NetworkInterfaceType == NetworkInterfaceType.Loopback;
        // Loopback and some virtual links (tun, dummy) report an unknown operational state while working.
        var up = nic.OperationalStatus is OperationalStatus.Up || (nic.OperationalStatus is OperationalStatus.Unknown && (loopback || named));
        if (!up || (loopback && !named) || (!nic.SupportsMulticast && !loopback))
        {
            return null;
        }

        var properties = nic.GetIPProperties();
        var index = IndexOf(nic, properties);
        if (index <= 0)
        {
            return null;
        }

        var addresses = new List<IPAddress>();
        var prefixes = new List<int>();
        foreach (var unicast in properties.UnicastAddresses)
        {
            var address = unicast.Address;
            if (address.AddressFamily == AddressFamily.InterNetwork && useIPv4)
            {
                addresses.Add(address);
                prefixes.Add(PrefixLength(unicast));
            }
            else if (address.AddressFamily == AddressFamily.InterNetworkV6 && useIPv6)
            {
                addresses.Add(address.IsIPv6LinkLocal && address.ScopeId != index ? new IPAddress(address.GetAddressBytes(), index) : address);
                prefixes.Add(PrefixLength(unicast));
            }
        }

        // A prefix not known for every address: none are used (the on-link check then lets everything in).
        return addresses.Count == 0 ? null : new MdnsInterface(index, nic.Name, addresses) { PrefixLengths = prefixes.Contains(-1) ? [] : prefixes };
    }

    private static int PrefixLength(UnicastIPAddressInformation unicast)
    {
        try
        {
            return unicast.PrefixLength;
        }
        catch (PlatformNotSupportedException)
        {
            return -1;
        }
    }

    private static int IndexOf(NetworkInterface nic, IPInterfaceProperties properties)
    {
        try
        {
            if (nic.Supports(NetworkInterfaceComponent.IPv4))
            {
                return properties.GetIPv4Properties().Index;
            }

            if (nic.Supports(NetworkInterfaceComponent.IPv6))
            {
                return properties.GetIPv6Properties().Index;
            }
        }
        catch (NetworkInformationException)
        {
        }

        return -1;
    }
}
