using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>identity.created</c>: the node made its identity key.</summary>
/// <param name="Node">Its node id.</param>
public sealed record IdentityCreatedEvent(string Node) : IEventPayload<IdentityCreatedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.IdentityCreated;

    /// <inheritdoc />
    public static JsonTypeInfo<IdentityCreatedEvent> JsonType => EventJson.Default.IdentityCreatedEvent;
}
