using System.Net;
using System.Net.Sockets;

namespace Node.Federation.Link.Server;

/// <summary>Where a connection comes from, as the caps count it.</summary>
/// <param name="Host">The IPv4 address, or the whole IPv6 address (without a scope).</param>
/// <param name="Prefix">The IPv6 /64 it is in; null for IPv4.</param>
public readonly record struct ConnectionSource(string Host, string? Prefix)
{
    /// <inheritdoc />
    public override string ToString() => Host;
}

/// <summary>
/// Caps on open peer-port connections: in total, per host (an IPv4 address or an IPv6 address), and
/// per IPv6 /64 (one machine has a whole /64 to pick addresses from, but on a LAN every peer shares
/// one /64 too: that cap is higher). A connection over a cap is closed at once, before TLS. Thread-safe.
/// </summary>
public sealed class ConnectionSlots(int total = PeerLimits.MaxConnections, int perAddress = PeerLimits.MaxConnectionsPerAddress,
    int perPrefix = PeerLimits.MaxConnectionsPerPrefix)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byHost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byPrefix = new(StringComparer.Ordinal);
    private int _open;

    /// <summary>Connections holding a slot now.</summary>
    public int Open
    {
        get
        {
            lock (_lock)
            {
                return _open;
            }
        }
    }

    /// <summary>The key refusals from <paramref name="address"/> are logged under: the IPv4 address, or the IPv6 /64.</summary>
    public static string KeyOf(IPAddress? address)
    {
        var source = SourceOf(address);
        return source.Prefix ?? source.Host;
    }

    /// <summary>What a connection from <paramref name="address"/> counts against.</summary>
    public static ConnectionSource SourceOf(IPAddress? address)
    {
        if (address is null)
        {
            return new ConnectionSource("unknown", null);
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return new ConnectionSource(address.ToString(), null);
        }

        var bytes = address.GetAddressBytes();
        var host = new IPAddress(bytes).ToString();
        Array.Clear(bytes, 8, 8);
        return new ConnectionSource(host, new IPAddress(bytes) + "/64");
    }

    /// <summary>Takes a slot for a connection from <paramref name="source"/>; false, with why, when a cap is reached.</summary>
    public bool TryTake(ConnectionSource source, out PeerRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(source.Host);
        lock (_lock)
        {
            if (_open >= total)
            {
                refusal = PeerRefusal.OverTotalCap;
                return false;
            }

            var held = _byHost.GetValueOrDefault(source.Host);
            var inPrefix = source.Prefix is null ? 0 : _byPrefix.GetValueOrDefault(source.Prefix);
            if (held >= perAddress || inPrefix >= perPrefix)
            {
                refusal = PeerRefusal.OverAddressCap;
                return false;
            }

            _byHost[source.Host] = held + 1;
            if (source.Prefix is not null)
            {
                _byPrefix[source.Prefix] = inPrefix + 1;
            }

            _open++;
            refusal = default;
            return true;
        }
    }

    /// <summary>Gives back the slot of a connection from <paramref name="source"/> that closed.</summary>
    public void Release(ConnectionSource source)
    {
        lock (_lock)
        {
            if (Decrement(_byHost, source.Host))
            {
                if (source.Prefix is not null)
                {
                    Decrement(_byPrefix, source.Prefix);
                }

                _open--;
            }
        }
    }

    private static bool Decrement(Dictionary<string, int> counts, string key)
    {
        if (!counts.TryGetValue(key, out var held))
        {
            return false;
        }

        if (held <= 1)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = held - 1;
        }

        return true;
    }
}
