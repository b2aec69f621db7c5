using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>packet.corrupt</c>: a stored packet's bytes no longer verify; it is marked, kept, and no longer served or synced.</summary>
/// <param name="Id">The packet id (lowercase hex).</param>
/// <param name="Seq">Its local receive sequence.</param>
/// <param name="Reason">What did not verify.</param>
/// <param name="FoundBy">What found it: <c>scrub</c>, <c>read</c> (a read that checked it before serving it) or <c>restore</c>.</param>
public sealed record PacketCorruptEvent(string Id, long Seq, string Reason, string FoundBy) : IEventPayload<PacketCorruptEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PacketCorrupt;

    /// <inheritdoc />
    public static JsonTypeInfo<PacketCorruptEvent> JsonType => EventJson.Default.PacketCorruptEvent;
}
