using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events;

/// <summary>
/// The payload of one kind of event: the kind it is recorded under and its JSON shape (compact,
/// snake_case, nulls left out; source-generated in <see cref="EventJson"/>). One record type per
/// kind, written by <see cref="Writing.WriteContext.AppendEvent{T}"/> and read by
/// <see cref="EventEntry.TryRead{T}"/>.
/// </summary>
/// <typeparam name="TSelf">The record itself.</typeparam>
public interface IEventPayload<TSelf> where TSelf : class, IEventPayload<TSelf>
{
    /// <summary>The event kind (<see cref="EventKinds"/>).</summary>
    public static abstract string Kind { get; }

    /// <summary>Its source-generated JSON contract.</summary>
    public static abstract JsonTypeInfo<TSelf> JsonType { get; }
}
