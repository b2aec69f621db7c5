namespace Node.Storage.Writing;

/// <summary>
/// How the writer reports liveness: <paramref name="Progress"/> when it takes and commits work,
/// <paramref name="Idle"/> before it waits on an empty queue. A writer stuck inside a commit
/// stops reporting progress while it is not idle, which a watchdog can act on.
/// </summary>
/// <param name="Progress">Called on progress.</param>
/// <param name="Idle">Called before waiting for work.</param>
public sealed record WriterHeartbeat(Action Progress, Action Idle);
