namespace Node.Storage;

/// <summary>Where the scrub of stored packets stands (kept in the store, so it survives a restart).</summary>
/// <param name="Cursor">The last receive sequence a scrub under way has verified; null when none is under way.</param>
/// <param name="CompletedAt">When the last scrub finished, Unix ms; null before the first.</param>
public readonly record struct ScrubState(long? Cursor, long? CompletedAt);
