namespace Node.Storage.Writing;

/// <summary>A queued write: the work, and the task its caller waits on.</summary>
internal abstract class WriteRequest
{
    public abstract bool IsCancelled { get; }

    public abstract void Run(WriteContext context);

    public abstract void Complete();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();
}

internal sealed class WriteRequest<T>(Func<WriteContext, T> work, CancellationToken cancellationToken) : WriteRequest
{
    // Continuations run off the writer thread, so a caller cannot stall the writer.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public override bool IsCancelled => cancellationToken.IsCancellationRequested;

    public override void Run(WriteContext context) => _result = work(context);

    public override void Complete() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(cancellationToken);
}

/// <summary>Wakes the writer to commit a raised clock ceiling (<see cref="StoreWriter.RaiseClockCeiling"/>); nobody waits on it.</summary>
internal sealed class CeilingRequest : WriteRequest
{
    public static readonly CeilingRequest Instance = new();

    public override bool IsCancelled => false;

    public override void Run(WriteContext context)
    {
    }

    public override void Complete()
    {
    }

    public override void Fail(Exception exception)
    {
    }

    public override void Cancel()
    {
    }
}
