using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>decision.decided</c>: a guardian approved or rejected a pending decision.</summary>
/// <param name="Id">The decision id.</param>
/// <param name="Verdict">approved or rejected.</param>
/// <param name="Guardian">Who.</param>
/// <param name="Reason">Why.</param>
public sealed record DecisionDecidedEvent(string Id, string Verdict, string Guardian, string Reason) : IEventPayload<DecisionDecidedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.DecisionDecided;

    /// <inheritdoc />
    public static JsonTypeInfo<DecisionDecidedEvent> JsonType => EventJson.Default.DecisionDecidedEvent;
}
