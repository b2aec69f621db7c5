using System.Net;
using Node.Federation.Discovery.Dns;
using Node.Federation.Identity;

namespace Node.Federation.Discovery;

/// <summary>A <c>_sovereign._tcp</c> service instance the browser has resolved (SRV, TXT and at least one address).</summary>
/// <param name="Instance">Its full instance name (<c>&lt;label&gt;._sovereign._tcp.local</c>).</param>
/// <param name="Host">The host its SRV names.</param>
/// <param name="Port">The port its SRV names.</param>
/// <param name="Addresses">The host's addresses seen on the interface; link-local IPv6 with scope id.</param>
/// <param name="Txt">Its TXT key=value pairs.</param>
/// <param name="InterfaceIndex">The interface it was seen on.</param>
/// <param name="LastSeen">When a record of it last arrived.</param>
public sealed record DiscoveredService(DnsName Instance, DnsName Host, int Port, IReadOnlyList<IPAddress> Addresses,
    IReadOnlyDictionary<string, string> Txt, int InterfaceIndex, DateTimeOffset LastSeen)
{
    /// <summary>The instance label, the part before the service type.</summary>
    public string InstanceLabel => Instance.Labels.Count > 0 ? Instance.Labels[0] : "";

    /// <summary>The node id from the TXT record, when it has a valid one.</summary>
    public NodeId? NodeId =>
        Txt.TryGetValue(ServiceProfile.NodeIdKey, out var text) && Identity.NodeId.TryParse(text, out var id, out _) ? id : null;

    /// <summary>Whether the two describe the same thing (all but <see cref="LastSeen"/>).</summary>
    public bool IsSameAs(DiscoveredService other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Instance.Equals(other.Instance) && Host.Equals(other.Host) && Port == other.Port && InterfaceIndex == other.InterfaceIndex
            && Addresses.Count == other.Addresses.Count && Addresses.All(other.Addresses.Contains)
            && Txt.Count == other.Txt.Count && Txt.All(p => other.Txt.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}
