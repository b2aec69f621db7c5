using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>apikey.created</c>: an API key was made (never its secret).</summary>
/// <param name="Id">The key id.</param>
/// <param name="Scope">read, write or admin.</param>
/// <param name="Name">The operator's name for it.</param>
/// <param name="By">Who made it.</param>
public sealed record ApiKeyCreatedEvent(string Id, string Scope, string Name, string By) : IEventPayload<ApiKeyCreatedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.ApiKeyCreated;

    /// <inheritdoc />
    public static JsonTypeInfo<ApiKeyCreatedEvent> JsonType => EventJson.Default.ApiKeyCreatedEvent;
}
