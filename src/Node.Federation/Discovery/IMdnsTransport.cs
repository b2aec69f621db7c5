using System.Net;

namespace Node.Federation.Discovery;

/// <summary>
/// The link mDNS speaks over: UDP port 5353 on 224.0.0.251 and ff02::fb per interface
/// (<c>UdpMdnsTransport</c>), or a simulated link for tests (<c>InMemoryMdnsNetwork</c>).
/// Sends never block for long and never throw for network errors: they are counted.
/// </summary>
public interface IMdnsTransport : IDisposable
{
    /// <summary>The interfaces in use now (after the allow-list).</summary>
    public IReadOnlyList<MdnsInterface> Interfaces { get; }

    /// <summary>Starts receiving; <paramref name="sink"/> hears every datagram and interface change from now on.</summary>
    public void Start(IMdnsTransportSink sink);

    /// <summary>Multicasts <paramref name="packet"/> on the interface, over IPv4 and IPv6 where it has them.</summary>
    public void SendMulticast(int interfaceIndex, ReadOnlySpan<byte> packet);

    /// <summary>Sends <paramref name="packet"/> to one address (a QU or legacy unicast reply) out of the interface.</summary>
    public void SendUnicast(int interfaceIndex, IPEndPoint destination, ReadOnlySpan<byte> packet);

    /// <summary>Per-interface counters for <c>nodectl federation diagnose</c>.</summary>
    public IReadOnlyList<MdnsLinkStatistics> Statistics();
}
