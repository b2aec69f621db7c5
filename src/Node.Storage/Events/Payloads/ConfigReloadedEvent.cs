using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>config.reloaded</c>: the configuration was reloaded; the changed keys, never their values (which may be secret).</summary>
/// <param name="Changed">The keys whose value changed.</param>
public sealed record ConfigReloadedEvent(IReadOnlyList<string> Changed) : IEventPayload<ConfigReloadedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.ConfigReloaded;

    /// <inheritdoc />
    public static JsonTypeInfo<ConfigReloadedEvent> JsonType => EventJson.Default.ConfigReloadedEvent;
}
