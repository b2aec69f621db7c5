using Node.Daemon.Lifecycle;

namespace Node.Daemon.Tests;

/// <summary>SIGHUP held from the daemon's first moment: never lost before the reloader listens, never acted on after it stopped.</summary>
public sealed class HangupSignalTests
{
    [Fact]
    public async Task A_hangup_before_a_handler_is_attached_is_held_and_handed_over_once()
    {
        using var hangup = new HangupSignal();
        var runs = 0;
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        hangup.Raise();
        hangup.Raise();
        Assert.True(hangup.IsHeld);
        hangup.Attach(() =>
        {
            Interlocked.Increment(ref runs);
            ran.TrySetResult();
        });
        await ran.Task.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, runs);
        Assert.False(hangup.IsHeld);
    }

    [Fact]
    public async Task A_hangup_after_attach_runs_the_handler_and_after_detach_is_ignored()
    {
        using var hangup = new HangupSignal();
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hangup.Attach(() => ran.TrySetResult());

        hangup.Raise();
        await ran.Task.WaitAsync(TestContext.Current.CancellationToken);
        hangup.Detach();
        hangup.Raise();
        hangup.Attach(() => throw new InvalidOperationException("attached after the node stopped"));

        Assert.False(hangup.IsHeld);
    }
}
