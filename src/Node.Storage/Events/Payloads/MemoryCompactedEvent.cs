using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>memory.compacted</c>: past days of reasoning memory were summarised and conclusion rows older than the retention removed.</summary>
/// <param name="Subjects">Subjects that got a summary.</param>
/// <param name="Days">Subject-days summarised.</param>
/// <param name="Removed">Conclusion rows removed.</param>
/// <param name="Before">The cutoff, Unix ms: rows older were removed.</param>
public sealed record MemoryCompactedEvent(int Subjects, int Days, long Removed, long Before) : IEventPayload<MemoryCompactedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.MemoryCompacted;

    /// <inheritdoc />
    public static JsonTypeInfo<MemoryCompactedEvent> JsonType => EventJson.Default.MemoryCompactedEvent;
}
