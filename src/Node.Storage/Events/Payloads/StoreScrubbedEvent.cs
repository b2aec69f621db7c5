using System.Text.Json.Serialization.Metadata;

namespace Node.Storage.Events.Payloads;

/// <summary><c>store.scrubbed</c>: a scrub verified every stored packet.</summary>
/// <param name="From">The receive sequence it started after: 0 for a whole scrub, more when it went on with one a stop interrupted (the counts are of what it verified itself).</param>
/// <param name="Checked">Packets verified.</param>
/// <param name="Unverified">Packets whose signature could not be checked (author key not known here); not corrupt.</param>
/// <param name="Marked">Packets this scrub found bad and marked corrupt (each also has a <c>packet.corrupt</c> entry).</param>
/// <param name="Corrupt">Packets marked corrupt in all, after this scrub.</param>
/// <param name="By">Who ran it: <c>schedule</c>, or the API caller that asked.</param>
public sealed record StoreScrubbedEvent(long From, long Checked, long Unverified, long Marked, long Corrupt, string By) : IEventPayload<StoreScrubbedEvent>
{
    /// <inheritdoc />
    public static string Kind => EventKinds.StoreScrubbed;

    /// <inheritdoc />
    public static JsonTypeInfo<StoreScrubbedEvent> JsonType => EventJson.Default.StoreScrubbedEvent;
}
