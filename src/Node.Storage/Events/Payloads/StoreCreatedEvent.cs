using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>store.created</c>: the store was made, at schema <paramref name="To"/> (the first entry of every log).</summary>
/// <param name="From">The schema version before (0).</param>
/// <param name="To">The schema version made.</param>
public sealed record StoreCreatedEvent(int From, int To) : IEventPayload<StoreCreatedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.StoreCreated;

    /// <inheritdoc />
    public static JsonTypeInfo<StoreCreatedEvent> JsonType => EventJson.Default.StoreCreatedEvent;
}
