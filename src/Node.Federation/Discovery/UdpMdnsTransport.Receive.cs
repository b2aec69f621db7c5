using System.Net;
using System.Net.Sockets;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery;

public sealed partial class UdpMdnsTransport
{
    // One loop per socket, on the socket engine's threads. The buffer is one byte longer than the
    // largest datagram kept, so a longer one shows up as truncated (MSG_TRUNC) and is dropped.
    private async Task ReceiveLoopAsync(Socket socket, CancellationToken stopping)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(DnsMessage.MaxSize + 1, pinned: true);
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetwork ? new IPEndPoint(IPAddress.Any, 0) : new IPEndPoint(IPAddress.IPv6Any, 0);
        var family = socket.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult result;
            try
            {
                result = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException
                || (ex is SocketException && stopping.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException ex)
            {
                // A queued ICMP error and the like: the socket still works.
                LogOnce("receive", family, ex.SocketErrorCode, ex.Message);
                continue;
            }

            Deliver(buffer, result, family);
        }
    }

    private void Deliver(byte[] buffer, in SocketReceiveMessageFromResult result, string family)
    {
        if ((result.SocketFlags & SocketFlags.Truncated) != 0 || result.ReceivedBytes > DnsMessage.MaxSize)
        {
            LogOnce("oversize", family, SocketError.MessageSize, $"a datagram over {DnsMessage.MaxSize} bytes was dropped");
            return;
        }

        var index = result.PacketInformation.Interface;
        // Datagrams from interfaces not in use (excluded by the allow-list, loopback) are not ours to answer.
        if (Find(index) is not { } link || _sink is not { } sink)
        {
            return;
        }

        var source = (IPEndPoint)result.RemoteEndPoint;
        // RFC 6762 §11: multicast to 224.0.0.251/ff02::fb is link-local and never routed; a unicast datagram to
        // port 5353 is only taken from the local link, or a host beyond a router could query us or feed us answers.
        if (!result.PacketInformation.Address.IsIPv6Multicast && !IsIPv4Multicast(result.PacketInformation.Address) && !link.Info.IsOnLink(source.Address))
        {
            LogOnce("off-link", family, SocketError.AccessDenied, $"a unicast datagram from {source.Address}, outside {link.Info.Name}'s subnets, was dropped");
            return;
        }

        link.CountReceived();
        var packet = new MdnsPacket(buffer.AsMemory(0, result.ReceivedBytes), source, index);
        try
        {
            sink.OnPacket(in packet);
        }
        catch (Exception ex)
        {
            LogSinkFailed(_logger, ex);
        }
    }

    private static bool IsIPv4Multicast(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0;
}
