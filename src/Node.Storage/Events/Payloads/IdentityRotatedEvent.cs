using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>identity.rotated</c>: at start, the node's identity moved to the key a rotation asked for; the old private key was destroyed.</summary>
/// <param name="Old">The node id before (peers retire it when they accept the statement).</param>
/// <param name="New">The node id now.</param>
public sealed record IdentityRotatedEvent(string Old, string New) : IEventPayload<IdentityRotatedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.IdentityRotated;

    /// <inheritdoc />
    public static JsonTypeInfo<IdentityRotatedEvent> JsonType => EventJson.Default.IdentityRotatedEvent;
}
