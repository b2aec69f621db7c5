using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary>
/// <c>peer.rotation_conflict</c>: a valid rotation of an old id to another new id than the one
/// accepted was refused. Either may be genuine (a stolen old key signs competitors), so the id that
/// carries the old id's tier dropped to unknown until an operator decides.
/// </summary>
/// <param name="Old">The node id rotated from.</param>
/// <param name="Recorded">The new id of the rotation accepted before.</param>
/// <param name="Competing">The new id of the one refused.</param>
/// <param name="Demoted">The id whose tier dropped to unknown: the recorded one, or the id it rotated to since.</param>
/// <param name="From">Its tier before.</param>
public sealed record PeerRotationConflictEvent(string Old, string Recorded, string Competing, string Demoted, string From)
    : IEventPayload<PeerRotationConflictEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.PeerRotationConflict;

    /// <inheritdoc />
    public static JsonTypeInfo<PeerRotationConflictEvent> JsonType => EventJson.Default.PeerRotationConflictEvent;
}
