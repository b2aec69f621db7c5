using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>packet.promoted</c>: a packet left quarantine for the knowledge base.</summary>
/// <param name="Id">The packet id (hex).</param>
/// <param name="FromPeer">The peer it came from.</param>
/// <param name="By">Who promoted it: a guardian's name, or <c>governance</c> (an approved promotion decision).</param>
/// <param name="Reason">Why, when given.</param>
public sealed record PacketPromotedEvent(string Id, string FromPeer, string By, string? Reason) : IEventPayload<PacketPromotedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PacketPromoted;

    /// <inheritdoc />
    public static JsonTypeInfo<PacketPromotedEvent> JsonType => EventJson.Default.PacketPromotedEvent;
}
