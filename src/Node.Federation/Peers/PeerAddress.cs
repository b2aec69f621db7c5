using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Node.Federation.Peers;

/// <summary>A static peer's address: <c>host:port</c>, an IPv6 address as <c>[addr]:port</c>.</summary>
public static class PeerAddress
{
    /// <summary>Longest address accepted, in characters (a DNS name is at most 253).</summary>
    public const int MaxLength = 262;

    /// <summary>Reads <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    /// <param name="text">The address as given.</param>
    /// <param name="normalized">The address in canonical form (IPv6 compressed and bracketed, names lower case).</param>
    /// <param name="error">Why it is not an address.</param>
    public static bool TryParse(string? text, out string normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "must be host:port";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"is longer than {MaxLength} characters";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{Printable(text)}' is not host:port (for IPv6 write [addr]:port)";
            return false;
        }

        var host = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"port '{Printable(text[(colon + 1)..])}' must be a number from 1 to 65535";
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (!IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"'{Printable(host)}' is not an IPv6 address";
                return false;
            }

            normalized = $"[{v6}]:{port}";
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            error = $"'{Printable(text)}' is ambiguous: write an IPv6 address as [addr]:port";
            return false;
        }
        else if (IPAddress.TryParse(host, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            normalized = $"{v4}:{port}";
        }
        else if (Uri.CheckHostName(host) == UriHostNameType.Dns)
        {
            normalized = $"{host.ToLowerInvariant()}:{port}";
        }
        else
        {
            error = $"'{Printable(host)}' is not a host name or address";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// The address of <paramref name="address"/> and <paramref name="port"/> in the form <see cref="TryParse"/>
    /// gives: <c>10.0.0.7:8102</c>, <c>[fe80::1%2]:8102</c> (a link-local address keeps its scope, the interface index).
    /// </summary>
    public static string Of(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var text = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
        return TryParse(text, out var normalized, out _) ? normalized : $"[{new IPAddress(address.GetAddressBytes())}]:{port}";
    }

    private static string Printable(string text) => Diagnostics.RemoteText.Printable(text, 64);
}
