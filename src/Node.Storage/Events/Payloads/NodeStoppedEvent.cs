using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>node.stopped</c>: the node stopped cleanly.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="Version">The software version.</param>
/// <param name="Pid">The process id.</param>
public sealed record NodeStoppedEvent(string Name, string Version, int Pid) : IEventPayload<NodeStoppedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.NodeStopped;

    /// <inheritdoc />
    public static JsonTypeInfo<NodeStoppedEvent> JsonType => EventJson.Default.NodeStoppedEvent;
}
