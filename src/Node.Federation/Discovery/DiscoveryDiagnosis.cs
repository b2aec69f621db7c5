namespace Node.Federation.Discovery;

/// <summary>Discovery as it stands, for <c>nodectl federation diagnose</c>.</summary>
/// <param name="InstanceName">The instance name claimed (after any rename), or null when not announcing.</param>
/// <param name="HostName">The host name claimed, or null.</param>
/// <param name="Links">Per interface: multicast, counters, the responder's state and conflicts.</param>
/// <param name="Services">The services resolved now.</param>
public sealed record DiscoveryDiagnosis(string? InstanceName, string? HostName, IReadOnlyList<DiscoveryLinkDiagnosis> Links,
    IReadOnlyList<DiscoveredService> Services);

/// <summary>One interface's part of a <see cref="DiscoveryDiagnosis"/>.</summary>
/// <param name="Link">The transport's view: joins, packets, errors.</param>
/// <param name="State">The responder's state there: <c>probing</c>, <c>announcing</c>, <c>announced</c> or <c>browsing</c>.</param>
/// <param name="Conflicts">Name conflicts seen there since start.</param>
public sealed record DiscoveryLinkDiagnosis(MdnsLinkStatistics Link, string State, int Conflicts);
