using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>peer.rotated</c>: a peer moved to a new key; the new id carries the old one's tier and the old id is retired.</summary>
/// <param name="Old">The node id rotated from (now retired, tier unknown).</param>
/// <param name="New">The node id rotated to.</param>
/// <param name="Tier">The new id's tier now.</param>
public sealed record PeerRotatedEvent(string Old, string New, string Tier) : IEventPayload<PeerRotatedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PeerRotated;

    /// <inheritdoc />
    public static JsonTypeInfo<PeerRotatedEvent> JsonType => EventJson.Default.PeerRotatedEvent;
}
