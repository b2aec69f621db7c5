using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>decision.automatic_stopped</c>: a guardian stopped all automatic approval of decisions.</summary>
/// <param name="Guardian">Who.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When it took effect, Unix ms.</param>
public sealed record AutomaticApprovalStoppedEvent(string Guardian, string Reason, long At) : IEventPayload<AutomaticApprovalStoppedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.DecisionAutomaticStopped;

    /// <inheritdoc />
    public static JsonTypeInfo<AutomaticApprovalStoppedEvent> JsonType => EventJson.Default.AutomaticApprovalStoppedEvent;
}
