using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>packet.repaired</c>: a packet marked corrupt was received again with bytes that verify; they replaced the bad ones and it is served again.</summary>
/// <param name="Id">The packet id (lowercase hex).</param>
/// <param name="Seq">Its local receive sequence (unchanged).</param>
public sealed record PacketRepairedEvent(string Id, long Seq) : IEventPayload<PacketRepairedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PacketRepaired;

    /// <inheritdoc />
    public static JsonTypeInfo<PacketRepairedEvent> JsonType => EventJson.Default.PacketRepairedEvent;
}
