using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>decision.made</c>: the decision matrix made a decision (approved automatically, or pending a guardian).</summary>
/// <param name="Id">The decision id.</param>
/// <param name="Type">rollback, deployment, scaling, …</param>
/// <param name="Status">auto_approved or pending.</param>
/// <param name="Confidence">The calibrated confidence it was taken with.</param>
/// <param name="Subject">What it was about.</param>
public sealed record DecisionMadeEvent(string Id, string Type, string Status, double Confidence, string Subject) : IEventPayload<DecisionMadeEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.DecisionMade;

    /// <inheritdoc />
    public static JsonTypeInfo<DecisionMadeEvent> JsonType => EventJson.Default.DecisionMadeEvent;
}
