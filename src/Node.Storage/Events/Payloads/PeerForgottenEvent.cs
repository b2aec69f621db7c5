using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>peer.forgotten</c>: a peer (or a static address) was forgotten.</summary>
/// <param name="Node">The node id, when forgotten by id.</param>
/// <param name="Address">The address, when forgotten by address.</param>
public sealed record PeerForgottenEvent(string? Node = null, string? Address = null) : IEventPayload<PeerForgottenEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PeerForgotten;

    /// <inheritdoc />
    public static JsonTypeInfo<PeerForgottenEvent> JsonType => EventJson.Default.PeerForgottenEvent;
}
