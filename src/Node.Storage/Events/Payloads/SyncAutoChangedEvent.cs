using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>sync.auto_changed</c>: automatic sync was switched on or off.</summary>
/// <param name="On">Whether it is on now.</param>
/// <param name="By">Who switched it: the caller's API key name, the Unix user on the socket, or <c>local</c>.</param>
public sealed record SyncAutoChangedEvent(bool On, string By) : IEventPayload<SyncAutoChangedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.SyncAutoChanged;

    /// <inheritdoc />
    public static JsonTypeInfo<SyncAutoChangedEvent> JsonType => EventJson.Default.SyncAutoChangedEvent;
}
