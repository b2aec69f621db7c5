using System.Net;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

/// <summary>Where a link's responder and browser send: the transport, one interface.</summary>
internal sealed class LinkOutput(IMdnsTransport transport, int interfaceIndex)
{
    // One buffer per link: every send happens under the discovery's lock.
    private readonly byte[] _buffer = new byte[DnsMessage.MaxSize];

    /// <summary>Multicast datagrams sent through this link, for the packet-rate figures.</summary>
    public long Multicasts { get; private set; }

    public void Multicast(DnsMessage message)
    {
        if (message.TryWrite(_buffer, out var written))
        {
            Multicasts++;
            transport.SendMulticast(interfaceIndex, _buffer.AsSpan(0, written));
        }
    }

    public void Unicast(IPEndPoint destination, DnsMessage message)
    {
        if (message.TryWrite(_buffer, out var written))
        {
            transport.SendUnicast(interfaceIndex, destination, _buffer.AsSpan(0, written));
        }
    }
}
