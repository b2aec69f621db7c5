using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>apikey.revoked</c>: an API key was revoked.</summary>
/// <param name="Id">The key id.</param>
/// <param name="Scope">read, write or admin.</param>
/// <param name="Name">The operator's name for it.</param>
/// <param name="By">Who revoked it.</param>
public sealed record ApiKeyRevokedEvent(string Id, string Scope, string Name, string By) : IEventPayload<ApiKeyRevokedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.ApiKeyRevoked;

    /// <inheritdoc />
    public static JsonTypeInfo<ApiKeyRevokedEvent> JsonType => EventJson.Default.ApiKeyRevokedEvent;
}
