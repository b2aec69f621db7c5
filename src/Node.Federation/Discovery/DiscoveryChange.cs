namespace Node.Federation.Discovery;

/// <summary>What happened to a discovered service.</summary>
public enum DiscoveryChangeKind
{
    /// <summary>Newly resolved.</summary>
    Found,

    /// <summary>Its port, addresses or TXT changed.</summary>
    Changed,

    /// <summary>It said goodbye, or its records expired.</summary>
    Lost,
}

/// <summary>A discovered service that was found, changed or lost.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Service">The service as it now is (as it last was, when lost).</param>
public readonly record struct DiscoveryChange(DiscoveryChangeKind Kind, DiscoveredService Service);
