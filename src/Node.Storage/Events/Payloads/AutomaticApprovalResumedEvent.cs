using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>decision.automatic_resumed</c>: a guardian let automatic approval resume.</summary>
/// <param name="Guardian">Who.</param>
/// <param name="Reason">Why, when given.</param>
public sealed record AutomaticApprovalResumedEvent(string Guardian, string? Reason = null) : IEventPayload<AutomaticApprovalResumedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.DecisionAutomaticResumed;

    /// <inheritdoc />
    public static JsonTypeInfo<AutomaticApprovalResumedEvent> JsonType => EventJson.Default.AutomaticApprovalResumedEvent;
}
