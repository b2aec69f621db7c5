namespace Node.Federation.Discovery;

/// <summary>
/// Makes the link discovery speaks over, for the settings given: UDP multicast in the node,
/// an in-memory link in tests (registered before <c>AddDiscovery</c>, which only adds the UDP one when none is).
/// </summary>
/// <param name="options">The discovery settings (interfaces, IPv6).</param>
public delegate IMdnsTransport MdnsTransportFactory(DiscoveryOptions options);
