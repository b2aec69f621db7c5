using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Node.Testing.Network;

/// <summary>
/// A dedicated thread that has entered a network namespace (setns(2) with CLONE_NEWNET affects
/// only the calling thread) and runs what it is given there. Sockets stay in the namespace they
/// were made in, whichever thread uses them later; interface enumeration (getifaddrs, netlink)
/// sees the namespace of the thread that enumerates. So: make and start a transport here, use
/// it from anywhere.
/// </summary>
public sealed partial class NamespaceThread : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NamespaceThread(string ns)
    {
        Namespace = ns;
        _thread = new Thread(() => Run(ns)) { IsBackground = true, Name = $"netns {ns}" };
        _thread.Start();
    }

    /// <summary>The namespace the thread is in.</summary>
    public string Namespace { get; }

    /// <summary>A thread inside <paramref name="ns"/> (a name under <c>/var/run/netns</c>).</summary>
    public static async Task<NamespaceThread> EnterAsync(string ns)
    {
        var thread = new NamespaceThread(ns);
        try
        {
            await thread._entered.Task.WaitAsync(LabProcess.DefaultTimeout);
            return thread;
        }
        catch
        {
            thread.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="action"/> on the thread, inside the namespace.</summary>
    public Task RunAsync(Action action) => RunAsync(() =>
    {
        action();
        return true;
    });

    /// <summary>Runs <paramref name="function"/> on the thread, inside the namespace, and returns its result.</summary>
    public Task<T> RunAsync<T>(Func<T> function)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(function());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task.WaitAsync(LabProcess.DefaultTimeout);
    }

    /// <summary>Ends the thread once the work queued before has run.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }

    private void Run(string ns)
    {
        try
        {
            using var handle = File.OpenHandle($"/var/run/netns/{ns}");
            if (SetNs(handle, CloneNewNet) != 0)
            {
                throw new InvalidOperationException($"setns({ns}) failed: errno {Marshal.GetLastPInvokeError()}.");
            }
        }
        catch (Exception ex)
        {
            _entered.SetException(ex);
            return;
        }

        _entered.SetResult();
        foreach (var action in _work.GetConsumingEnumerable())
        {
            action();
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(SafeFileHandle fd, int nstype);
}
