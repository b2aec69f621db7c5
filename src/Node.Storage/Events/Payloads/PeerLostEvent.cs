using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>peer.lost</c>: a peer mDNS had found said goodbye or its records expired; it stays known.</summary>
/// <param name="Node">Its node id.</param>
public sealed record PeerLostEvent(string Node) : IEventPayload<PeerLostEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PeerLost;

    /// <inheritdoc />
    public static JsonTypeInfo<PeerLostEvent> JsonType => EventJson.Default.PeerLostEvent;
}
