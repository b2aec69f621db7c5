using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>packet.quarantined</c>: a sandbox peer's packet arrived, verified, and waits in quarantine.</summary>
/// <param name="Id">The packet id (hex).</param>
/// <param name="FromPeer">The peer it came from.</param>
/// <param name="Reason">Why it is in quarantine.</param>
public sealed record PacketQuarantinedEvent(string Id, string FromPeer, string Reason) : IEventPayload<PacketQuarantinedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PacketQuarantined;

    /// <inheritdoc />
    public static JsonTypeInfo<PacketQuarantinedEvent> JsonType => EventJson.Default.PacketQuarantinedEvent;
}
