using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>packet.rejected</c>: a quarantined packet was rejected: dropped, and not taken again from any peer.</summary>
/// <param name="Id">The packet id (hex).</param>
/// <param name="FromPeer">The peer it came from.</param>
/// <param name="By">Who rejected it.</param>
/// <param name="Reason">Why, when given.</param>
public sealed record PacketRejectedEvent(string Id, string FromPeer, string By, string? Reason) : IEventPayload<PacketRejectedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PacketRejected;

    /// <inheritdoc />
    public static JsonTypeInfo<PacketRejectedEvent> JsonType => EventJson.Default.PacketRejectedEvent;
}
