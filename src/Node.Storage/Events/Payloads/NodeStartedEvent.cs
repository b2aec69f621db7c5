using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>node.started</c>: the node started.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="Version">The software version.</param>
/// <param name="Pid">The process id.</param>
public sealed record NodeStartedEvent(string Name, string Version, int Pid) : IEventPayload<NodeStartedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.NodeStarted;

    /// <inheritdoc />
    public static JsonTypeInfo<NodeStartedEvent> JsonType => EventJson.Default.NodeStartedEvent;
}
