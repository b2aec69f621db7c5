namespace Node.Storage.Writing;

/// <summary>
/// Tells readers that the writer committed: watchers of new packets or events take
/// <see cref="Next"/> <em>before</em> they read, read, and wait on it only if they found nothing —
/// so a commit between the read and the wait is never missed.
/// </summary>
public sealed class CommitSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next commit after it was taken.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    internal void Raise() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
