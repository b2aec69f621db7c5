using System.Text.Json.Serialization;
using Node.Storage.Events.Payloads;

namespace Node.Storage.Events;

/// <summary>
/// The source-generated JSON of every event payload: compact, snake_case names, nulls left out,
/// properties in the order the record declares them (so a payload reads like the hand-written ones
/// it replaced). Strict both ways: a payload without one of its record's fields, or with null where
/// the record allows none, does not read (<see cref="EventEntry.TryRead{T}"/> says false), and
/// such a record is not written. Numbers also read from strings: versions before the typed payloads
/// wrote <c>decision.made</c>'s confidence as text.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(StoreCreatedEvent))]
[JsonSerializable(typeof(StoreMigratedEvent))]
[JsonSerializable(typeof(StoreRestoredEvent))]
[JsonSerializable(typeof(BackupCreatedEvent))]
[JsonSerializable(typeof(MemoryCompactedEvent))]
[JsonSerializable(typeof(IdentityCreatedEvent))]
[JsonSerializable(typeof(IdentityRotationRequestedEvent))]
[JsonSerializable(typeof(IdentityRotatedEvent))]
[JsonSerializable(typeof(NodeStartedEvent))]
[JsonSerializable(typeof(NodeStoppedEvent))]
[JsonSerializable(typeof(ConfigReloadedEvent))]
[JsonSerializable(typeof(ApiKeyCreatedEvent))]
[JsonSerializable(typeof(ApiKeyRevokedEvent))]
[JsonSerializable(typeof(PeerAddedEvent))]
[JsonSerializable(typeof(PeerTrustChangedEvent))]
[JsonSerializable(typeof(PeerForgottenEvent))]
[JsonSerializable(typeof(PeerDiscoveredEvent))]
[JsonSerializable(typeof(PeerChangedEvent))]
[JsonSerializable(typeof(PeerLostEvent))]
[JsonSerializable(typeof(PeerRotatedEvent))]
[JsonSerializable(typeof(PeerRotationConflictEvent))]
[JsonSerializable(typeof(DecisionMadeEvent))]
[JsonSerializable(typeof(DecisionDecidedEvent))]
[JsonSerializable(typeof(AutomaticApprovalStoppedEvent))]
[JsonSerializable(typeof(AutomaticApprovalResumedEvent))]
[JsonSerializable(typeof(PacketCorruptEvent))]
[JsonSerializable(typeof(PacketRepairedEvent))]
[JsonSerializable(typeof(StoreScrubbedEvent))]
[JsonSerializable(typeof(PacketRetractedEvent))]
[JsonSerializable(typeof(PacketQuarantinedEvent))]
[JsonSerializable(typeof(PacketPromotedEvent))]
[JsonSerializable(typeof(SyncAutoChangedEvent))]
[JsonSerializable(typeof(PacketRejectedEvent))]
public sealed partial class EventJson : JsonSerializerContext;
