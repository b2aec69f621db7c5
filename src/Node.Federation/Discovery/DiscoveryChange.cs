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
/// <param name="Reason">Why it was lost; <see cref="LossReason.None"/> unless <paramref name="Kind"/> is <see cref="DiscoveryChangeKind.Lost"/>.</param>
public readonly record struct DiscoveryChange(DiscoveryChangeKind Kind, DiscoveredService Service, LossReason Reason = LossReason.None);

/// <summary>Why a service was lost.</summary>
public enum LossReason
{
    /// <summary>Not lost.</summary>
    None,

    /// <summary>It sent goodbye packets (TTL 0): it stopped or withdrew the service.</summary>
    Goodbye,

    /// <summary>Its records expired unrefreshed: it went silent (switched off, unplugged).</summary>
    Expired,

    /// <summary>The interface it was seen on went away.</summary>
    InterfaceGone,
}
