using System.Net;

namespace Node.Federation.Discovery;

/// <summary>A network interface mDNS runs on.</summary>
/// <param name="Index">The kernel's interface index.</param>
/// <param name="Name">Its name (<c>eth0</c>).</param>
/// <param name="Addresses">Its IPv4 and IPv6 addresses; link-local IPv6 ones carry the interface as scope id.</param>
public sealed record MdnsInterface(int Index, string Name, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>
    /// The prefix length of each of <see cref="Addresses"/>, in the same order; empty when not known.
    /// A unicast datagram is only taken from a source inside one of these subnets (RFC 6762 §11).
    /// </summary>
    public IReadOnlyList<int> PrefixLengths { get; init; } = [];

    /// <summary>
    /// Whether <paramref name="source"/> is on this link: link-local IPv6, or inside one of the
    /// interface's subnets. True when the prefixes are not known (nothing to judge by).
    /// </summary>
    public bool IsOnLink(IPAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.IsIPv4MappedToIPv6)
        {
            source = source.MapToIPv4();
        }

        if (source.IsIPv6LinkLocal || PrefixLengths.Count != Addresses.Count)
        {
            return true;
        }

        var bytes = source.GetAddressBytes();
        for (var i = 0; i < Addresses.Count; i++)
        {
            var own = Addresses[i].GetAddressBytes();
            if (own.Length == bytes.Length && SamePrefix(own, bytes, PrefixLengths[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SamePrefix(byte[] a, byte[] b, int bits)
    {
        bits = Math.Clamp(bits, 0, a.Length * 8);
        var whole = bits / 8;
        if (!a.AsSpan(0, whole).SequenceEqual(b.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = bits % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (a[whole] & mask) == (b[whole] & mask);
    }

    /// <summary>Whether the two have the same index, name and addresses (in any order).</summary>
    public bool IsSameAs(MdnsInterface other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Index == other.Index && Name == other.Name && Addresses.Count == other.Addresses.Count && Addresses.All(other.Addresses.Contains);
    }
}
