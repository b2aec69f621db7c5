namespace Node.Federation.Discovery;

/// <summary>What a transport knows about one interface: whether multicast works there and what went through.</summary>
/// <param name="Index">The interface index.</param>
/// <param name="Name">The interface name.</param>
/// <param name="JoinedIPv4">Whether 224.0.0.251 is joined on it.</param>
/// <param name="JoinedIPv6">Whether ff02::fb is joined on it.</param>
/// <param name="PacketsSent">Datagrams sent out of it.</param>
/// <param name="PacketsReceived">Datagrams received on it.</param>
/// <param name="SendErrors">Sends that failed.</param>
/// <param name="LastError">The current failure: a join that failed, or a send that failed with none gone through since; null when all is well.</param>
public sealed record MdnsLinkStatistics(int Index, string Name, bool JoinedIPv4, bool JoinedIPv6, long PacketsSent, long PacketsReceived,
    long SendErrors, string? LastError);
