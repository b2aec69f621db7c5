using System.Net;

namespace Node.Federation.Discovery;

/// <summary>A network interface mDNS runs on.</summary>
/// <param name="Index">The kernel's interface index.</param>
/// <param name="Name">Its name (<c>eth0</c>).</param>
/// <param name="Addresses">Its IPv4 and IPv6 addresses; link-local IPv6 ones carry the interface as scope id.</param>
public sealed record MdnsInterface(int Index, string Name, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>Whether the two have the same index, name and addresses (in any order).</summary>
    public bool IsSameAs(MdnsInterface other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Index == other.Index && Name == other.Name && Addresses.Count == other.Addresses.Count && Addresses.All(other.Addresses.Contains);
    }
}
