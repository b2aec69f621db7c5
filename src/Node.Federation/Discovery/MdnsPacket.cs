using System.Net;

namespace Node.Federation.Discovery;

/// <summary>A datagram received on the mDNS port.</summary>
/// <param name="Data">Its bytes (untrusted; at most <see cref="Dns.DnsMessage.MaxSize"/>).</param>
/// <param name="Source">Who sent it; a port other than 5353 marks a legacy unicast query (RFC 6762 §6.7).</param>
/// <param name="InterfaceIndex">The interface it arrived on.</param>
public readonly record struct MdnsPacket(ReadOnlyMemory<byte> Data, IPEndPoint Source, int InterfaceIndex);
