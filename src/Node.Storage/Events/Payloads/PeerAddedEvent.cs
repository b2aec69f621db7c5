using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>peer.added</c>: a peer was added by hand.</summary>
/// <param name="Address">Its address, host:port.</param>
/// <param name="Node">Its node id, when given.</param>
public sealed record PeerAddedEvent(string Address, string? Node = null) : IEventPayload<PeerAddedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PeerAdded;

    /// <inheritdoc />
    public static JsonTypeInfo<PeerAddedEvent> JsonType => EventJson.Default.PeerAddedEvent;
}
