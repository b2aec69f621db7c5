using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>packet.retracted</c>: a packet was removed by its author's retraction; the retraction is kept for ever.</summary>
/// <param name="Id">The retracted packet id (lowercase hex).</param>
/// <param name="Retraction">The retraction packet's id (hex).</param>
/// <param name="Author">The retraction's author (node id).</param>
/// <param name="From">Where it was removed from: <c>store</c>, <c>hold</c> or <c>quarantine</c>.</param>
/// <param name="Seq">Its receive sequence, when it was stored.</param>
public sealed record PacketRetractedEvent(string Id, string Retraction, string Author, string From, long? Seq) : IEventPayload<PacketRetractedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PacketRetracted;

    /// <inheritdoc />
    public static JsonTypeInfo<PacketRetractedEvent> JsonType => EventJson.Default.PacketRetractedEvent;
}
