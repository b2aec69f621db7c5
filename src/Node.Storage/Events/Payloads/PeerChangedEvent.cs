using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>peer.changed</c>: mDNS found a known peer at other addresses.</summary>
/// <param name="Node">Its node id.</param>
/// <param name="Addresses">Where it answers now, host:port.</param>
public sealed record PeerChangedEvent(string Node, IReadOnlyList<string> Addresses) : IEventPayload<PeerChangedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PeerChanged;

    /// <inheritdoc />
    public static JsonTypeInfo<PeerChangedEvent> JsonType => EventJson.Default.PeerChangedEvent;
}
