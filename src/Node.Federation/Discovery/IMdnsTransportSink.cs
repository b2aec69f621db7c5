namespace Node.Federation.Discovery;

/// <summary>What a transport reports to: datagrams and interface changes. Called from the transport's threads.</summary>
public interface IMdnsTransportSink
{
    /// <summary>A datagram arrived. The data is only valid during the call.</summary>
    public void OnPacket(in MdnsPacket packet);

    /// <summary>The set of usable interfaces, or an interface's addresses, changed; this is the new set.</summary>
    public void OnInterfacesChanged(IReadOnlyList<MdnsInterface> interfaces);
}
