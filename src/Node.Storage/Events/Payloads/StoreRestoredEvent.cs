using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>store.restored</c>: the store was restored from a backup (recorded at the first start after).</summary>
/// <param name="From">The backup file restored.</param>
/// <param name="Head">The event-log head the backup held.</param>
public sealed record StoreRestoredEvent(string From, long Head) : IEventPayload<StoreRestoredEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.StoreRestored;

    /// <inheritdoc />
    public static JsonTypeInfo<StoreRestoredEvent> JsonType => EventJson.Default.StoreRestoredEvent;
}
