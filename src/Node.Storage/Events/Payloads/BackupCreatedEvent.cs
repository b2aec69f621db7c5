using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>backup.created</c>: a backup was written.</summary>
/// <param name="Path">Where.</param>
/// <param name="Head">The event-log head it holds.</param>
public sealed record BackupCreatedEvent(string Path, long Head) : IEventPayload<BackupCreatedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.BackupCreated;

    /// <inheritdoc />
    public static JsonTypeInfo<BackupCreatedEvent> JsonType => EventJson.Default.BackupCreatedEvent;
}
