namespace Node.Reasoning.Audit;

/// <summary>A critical loop the watchdog watches (from the daemon's heartbeat registry).</summary>
/// <param name="Name">The loop's name (e.g. <c>pipeline</c>, <c>sync</c>, <c>event-writer</c>).</param>
/// <param name="LastProgressAt">When it last reported progress.</param>
public sealed record CriticalLoop(string Name, DateTimeOffset LastProgressAt);
