using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>peer.discovered</c>: mDNS found a peer for the first time.</summary>
/// <param name="Node">Its node id.</param>
/// <param name="Addresses">Where it answered, host:port.</param>
public sealed record PeerDiscoveredEvent(string Node, IReadOnlyList<string> Addresses) : IEventPayload<PeerDiscoveredEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PeerDiscovered;

    /// <inheritdoc />
    public static JsonTypeInfo<PeerDiscoveredEvent> JsonType => EventJson.Default.PeerDiscoveredEvent;
}
