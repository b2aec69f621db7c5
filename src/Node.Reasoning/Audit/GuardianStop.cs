namespace Node.Reasoning.Audit;

/// <summary>An interval during which a guardian had stopped all automatic action (from the stop/resume events).</summary>
/// <param name="From">When the stop was set.</param>
/// <param name="Until">When it was lifted; null while it is still on.</param>
public sealed record GuardianStop(DateTimeOffset From, DateTimeOffset? Until);
