namespace Node.Reasoning.Audit;

/// <summary>The audit's snapshot of one critical loop's progress: its name and when it last progressed (from the daemon's watchdog registry).</summary>
/// <param name="Name">The loop's name (e.g. <c>pipeline</c>, <c>sync</c>, <c>event-writer</c>).</param>
/// <param name="LastProgressAt">When it last reported progress.</param>
public sealed record CriticalLoopProgress(string Name, DateTimeOffset LastProgressAt);
