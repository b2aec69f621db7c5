using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Node.Federation.Discovery.Dns;
using Node.Federation.Discovery.Internal;

namespace Node.Federation.Discovery;

public sealed partial class UdpMdnsTransport
{
    // IPv4 has no per-datagram way to pick the outgoing interface through Socket (IP_PKTINFO in
    // sendmsg is not exposed), so IP_MULTICAST_IF is set before each multicast, under this lock.
    // Per-interface send sockets were the alternative, but each would have to bind port 5353 (the
    // source port of multicast responses, RFC 6762 §11) with SO_REUSEPORT, and the kernel then
    // spreads unicast datagrams for 5353 across them: replies would land on sockets that never read.
    // mDNS sends a few datagrams a second at most; one extra setsockopt under a lock costs nothing.
    private readonly Lock _send4Gate = new();
    private readonly ConcurrentDictionary<string, bool> _loggedSendErrors = new(StringComparer.Ordinal);

    /// <summary>
    /// Multicasts <paramref name="packet"/> out of the interface, to 224.0.0.251 if it has an IPv4
    /// address and to ff02::fb if it has an IPv6 one. An unknown interface, a closed transport or a
    /// network error sends nothing and does not throw; errors are counted in <see cref="Statistics"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The packet is longer than <see cref="DnsMessage.MaxSize"/>.</exception>
    public void SendMulticast(int interfaceIndex, ReadOnlySpan<byte> packet)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packet.Length, DnsMessage.MaxSize, nameof(packet));
        if (Find(interfaceIndex) is not { } link)
        {
            LogOnce("unknown-interface", "any", SocketError.AddressNotAvailable, $"interface {interfaceIndex} is not in use");
            return;
        }

        if (_socket4 is { } socket4 && link.HasIPv4)
        {
            lock (_send4Gate)
            {
                Send(link, "IPv4", socket4, packet, _group4, setInterface: true);
            }
        }

        if (_socket6 is { } socket6 && link.HasIPv6)
        {
            Send(link, "IPv6", socket6, packet, link.Group6, setInterface: false);
        }
    }

    /// <summary>
    /// Sends <paramref name="packet"/> to <paramref name="destination"/> from port 5353 (the socket
    /// of its family). A link-local IPv6 destination without a scope id is scoped to the interface;
    /// otherwise the routing table picks the way out. Never throws for network errors.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The packet is longer than <see cref="DnsMessage.MaxSize"/>.</exception>
    public void SendUnicast(int interfaceIndex, IPEndPoint destination, ReadOnlySpan<byte> packet)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packet.Length, DnsMessage.MaxSize, nameof(packet));
        var link = Find(interfaceIndex);
        var address = destination.Address.IsIPv4MappedToIPv6 ? destination.Address.MapToIPv4() : destination.Address;
        if (address.IsIPv6LinkLocal && address.ScopeId == 0)
        {
            address = new IPAddress(address.GetAddressBytes(), interfaceIndex);
        }

        var to = ReferenceEquals(address, destination.Address) ? destination : new IPEndPoint(address, destination.Port);
        var (socket, family) = address.AddressFamily == AddressFamily.InterNetwork ? (_socket4, "IPv4") : (_socket6, "IPv6");
        if (socket is null)
        {
            link?.CountSendError($"send {family}: no {family} socket");
            LogOnce("no-socket", family, SocketError.AddressFamilyNotSupported, $"no {family} socket");
            return;
        }

        Send(link, family, socket, packet, to, setInterface: false);
    }

    private void Send(MdnsLink? link, string family, Socket socket, ReadOnlySpan<byte> packet, IPEndPoint to, bool setInterface)
    {
        try
        {
            if (setInterface && link is not null)
            {
                MdnsSockets.SetIPv4MulticastInterface(socket, link.Index);
            }

            socket.SendTo(packet, SocketFlags.None, to);
            link?.CountSent();
        }
        catch (SocketException ex)
        {
            link?.CountSendError($"send {family} to {to}: {ex.SocketErrorCode} ({ex.Message})");
            LogOnce("send", family, ex.SocketErrorCode, ex.Message);
        }
        catch (ObjectDisposedException)
        {
            // Disposed while sending: the datagram is simply not sent.
        }
    }

    private MdnsLink? Find(int interfaceIndex)
    {
        lock (_gate)
        {
            return _links.GetValueOrDefault(interfaceIndex);
        }
    }

    private void LogOnce(string what, string family, SocketError error, string message)
    {
        if (_loggedSendErrors.TryAdd($"{what}/{family}/{error}", true))
        {
            LogSendFailed(_logger, family, error, message);
        }
    }
}
