using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>peer.trust_changed</c>: a peer's trust tier changed.</summary>
/// <param name="Node">The peer's node id.</param>
/// <param name="From">The tier before.</param>
/// <param name="To">The tier now.</param>
/// <param name="By">Who changed it.</param>
/// <param name="Reason">Why.</param>
public sealed record PeerTrustChangedEvent(string Node, string From, string To, string By, string Reason) : IEventPayload<PeerTrustChangedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PeerTrustChanged;

    /// <inheritdoc />
    public static JsonTypeInfo<PeerTrustChangedEvent> JsonType => EventJson.Default.PeerTrustChangedEvent;
}
