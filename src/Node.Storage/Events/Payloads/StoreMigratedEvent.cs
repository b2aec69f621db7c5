using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>store.migrated</c>: the schema was upgraded.</summary>
/// <param name="From">The schema version before.</param>
/// <param name="To">The schema version after.</param>
public sealed record StoreMigratedEvent(int From, int To) : IEventPayload<StoreMigratedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.StoreMigrated;

    /// <inheritdoc />
    public static JsonTypeInfo<StoreMigratedEvent> JsonType => EventJson.Default.StoreMigratedEvent;
}
