using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Node.Storage.Events;

/// <summary>One entry of the event log.</summary>
/// <param name="Seq">Its position, from 1, without gaps.</param>
/// <param name="Time">When it was appended, Unix milliseconds (UTC).</param>
/// <param name="Kind">What happened, such as <c>packet.accepted</c> (<see cref="EventKinds"/>).</param>
/// <param name="Payload">The details, compact (UTF-8 JSON of the kind's payload record, or a raw id).</param>
/// <param name="PrevHash">The hash of the entry before it (32 zero bytes for the first).</param>
/// <param name="Hash">This entry's hash (<see cref="EventChain.Hash"/>).</param>
public sealed record EventEntry(long Seq, long Time, string Kind, byte[] Payload, byte[] PrevHash, byte[] Hash)
{
    /// <summary>
    /// Reads the payload as <typeparamref name="T"/>. False, never an exception, when the entry is
    /// of another kind or its payload does not read as one (written by an older version, or by hand).
    /// </summary>
    public bool TryRead<T>([NotNullWhen(true)] out T? payload) where T : class, IEventPayload<T>
    {
        payload = null;
        if (!string.Equals(Kind, T.Kind, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            payload = JsonSerializer.Deserialize(Payload, T.JsonType);
        }
        catch (JsonException)
        {
        }

        return payload is not null;
    }
}
