using System.Net;
using System.Net.Sockets;

namespace Node.Federation.Link.Server;

/// <summary>
/// Caps on open peer-port connections, in total and per source (an IPv4 address, or an IPv6 /64:
/// one host has a whole /64 to pick from). A connection over a cap is closed at once, before TLS.
/// Thread-safe.
/// </summary>
public sealed class ConnectionSlots(int total = PeerLimits.MaxConnections, int perAddress = PeerLimits.MaxConnectionsPerAddress)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byAddress = new(StringComparer.Ordinal);
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

    /// <summary>The source a connection from <paramref name="address"/> counts against.</summary>
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Takes a slot for a connection from <paramref name="key"/>; false, with why, when a cap is reached.</summary>
    public bool TryTake(string key, out PeerRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (_open >= total)
            {
                refusal = PeerRefusal.OverTotalCap;
                return false;
            }

            var held = _byAddress.GetValueOrDefault(key);
            if (held >= perAddress)
            {
                refusal = PeerRefusal.OverAddressCap;
                return false;
            }

            _byAddress[key] = held + 1;
            _open++;
            refusal = default;
            return true;
        }
    }

    /// <summary>Gives back the slot of a connection from <paramref name="key"/> that closed.</summary>
    public void Release(string key)
    {
        lock (_lock)
        {
            if (_byAddress.TryGetValue(key, out var held))
            {
                if (held <= 1)
                {
                    _byAddress.Remove(key);
                }
                else
                {
                    _byAddress[key] = held - 1;
                }

                _open--;
            }
        }
    }
}
