namespace Node.Storage.Events;

/// <summary>One entry of the event log.</summary>
/// <param name="Seq">Its position, from 1, without gaps.</param>
/// <param name="Time">When it was appended, Unix milliseconds (UTC).</param>
/// <param name="Kind">What happened, such as <c>packet.accepted</c> (<see cref="EventKinds"/>).</param>
/// <param name="Payload">The details, compact (UTF-8 JSON or raw ids).</param>
/// <param name="PrevHash">The hash of the entry before it (32 zero bytes for the first).</param>
/// <param name="Hash">This entry's hash (<see cref="EventChain.Hash"/>).</param>
public sealed record EventEntry(long Seq, long Time, string Kind, byte[] Payload, byte[] PrevHash, byte[] Hash);
