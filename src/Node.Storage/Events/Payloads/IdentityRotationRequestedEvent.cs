using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>identity.rotation_requested</c>: a new key was made and vouched for by the old one; it becomes the node's identity at the next start.</summary>
/// <param name="Old">The node id now.</param>
/// <param name="New">The node id from the next start.</param>
/// <param name="By">Who asked (the Unix user or the API key).</param>
public sealed record IdentityRotationRequestedEvent(string Old, string New, string By) : IEventPayload<IdentityRotationRequestedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.IdentityRotationRequested;

    /// <inheritdoc />
    public static JsonTypeInfo<IdentityRotationRequestedEvent> JsonType => EventJson.Default.IdentityRotationRequestedEvent;
}
