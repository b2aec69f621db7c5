using System.Net;
using System.Net.Sockets;

namespace Node.Federation.Discovery.Internal;

/// <summary>Opens the mDNS sockets (RFC 6762 §15: several responders on one host share port 5353).</summary>
internal static class MdnsSockets
{
    // Linux values; .NET names neither SO_REUSEPORT nor the *_MULTICAST_ALL options.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;
    private const int IPProtoIP = 0;
    private const int IPMulticastAll = 49;
    private const int IPProtoIPv6 = 41;
    private const int IPv6UnicastHops = 16;
    private const int IPv6MulticastAll = 29;

    /// <summary>A socket on 0.0.0.0:<paramref name="port"/> that reports each datagram's arrival interface.</summary>
    public static Socket OpenIPv4(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            Share(socket);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.IpTimeToLive, 255);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            TrySetInt(socket, IPProtoIP, IPMulticastAll, 0);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An IPv6-only socket on [::]:<paramref name="port"/> that reports each datagram's arrival interface.</summary>
    public static Socket OpenIPv6(int port)
    {
        var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.IPv6Only, true);
            Share(socket);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, true);
            TrySetInt(socket, IPProtoIPv6, IPv6UnicastHops, 255);
            TrySetInt(socket, IPProtoIPv6, IPv6MulticastAll, 0);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Chooses the interface IPv4 multicasts leave by (IP_MULTICAST_IF with an index, network byte order).</summary>
    public static void SetIPv4MulticastInterface(Socket socket, int index) =>
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(index));

    // Both options, so that Avahi (SO_REUSEADDR) and another instance of us (SO_REUSEPORT) can bind too.
    private static void Share(Socket socket)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.SetRawSocketOption(SolSocket, SoReusePort, Int(1));
    }

    // Receiving only the groups this socket joined (not those Avahi joined elsewhere) is a nicety:
    // older kernels lack IPV6_MULTICAST_ALL, and the receive path filters by interface anyway.
    private static void TrySetInt(Socket socket, int level, int name, int value)
    {
        try
        {
            socket.SetRawSocketOption(level, name, Int(value));
        }
        catch (SocketException)
        {
        }
    }

    // Socket options take a C int, in the host's byte order.
    private static byte[] Int(int value) => BitConverter.GetBytes(value);
}
