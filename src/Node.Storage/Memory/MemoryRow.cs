namespace Node.Storage.Memory;

/// <summary>A row of the reasoning memory (table <c>memory</c>).</summary>
/// <param name="Id">Its row id (increasing).</param>
/// <param name="Subject">What it is about (empty for the node-wide rows, such as the reasoning state).</param>
/// <param name="Time">When, Unix ms.</param>
/// <param name="Kind">conclusion, reasoning.state, …</param>
/// <param name="Content">Its content (JSON for conclusions, a binary blob for the state).</param>
public sealed record MemoryRow(long Id, string Subject, long Time, string Kind, byte[] Content);
