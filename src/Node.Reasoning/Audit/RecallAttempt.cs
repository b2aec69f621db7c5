namespace Node.Reasoning.Audit;

/// <summary>One memory recall by Joey (the recall stage keeps the last few).</summary>
/// <param name="At">When it ran.</param>
/// <param name="Error">The error it failed with; null when it answered.</param>
public sealed record RecallAttempt(DateTimeOffset At, string? Error);
