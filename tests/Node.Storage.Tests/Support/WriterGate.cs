using Node.Storage.Writing;

namespace Node.Storage.Tests.Support;

/// <summary>
/// Holds the store's writer thread inside one write until released. The writer takes its batch
/// before it runs it, so everything queued while the gate is held is taken together next:
/// a way to make a batch without racing the writer. Released on dispose, so a failing test
/// never leaves the writer blocked (and the store's dispose hanging).
/// </summary>
public sealed class WriterGate : IDisposable
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WriterGate(StoreWriter writer)
    {
        Write = writer.WriteAsync(_ =>
        {
            _entered.TrySetResult();
            _release.Task.GetAwaiter().GetResult(); // the writer's own thread: nothing else runs on it
        });
    }

    /// <summary>The holding write; it completes after release, once its batch committed.</summary>
    public Task Write { get; }

    /// <summary>Queues the holding write and returns once the writer is inside it.</summary>
    public static async Task<WriterGate> HoldAsync(StoreWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var gate = new WriterGate(writer);
        await gate._entered.Task.WaitAsync(TestContext.Current.CancellationToken);
        return gate;
    }

    /// <summary>Lets the writer go on; completes when the holding write's batch committed.</summary>
    public Task ReleaseAsync()
    {
        _release.TrySetResult();
        return Write;
    }

    public void Dispose() => _release.TrySetResult();
}
