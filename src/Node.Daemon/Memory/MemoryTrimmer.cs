using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Storage;

namespace Node.Daemon.Memory;

/// <summary>
/// Gives memory back to the system: once the node has started (start-up leaves most of what it
/// allocated, about 14 MiB, as garbage), then whenever it is idle again after allocating
/// (<see cref="MemoryTrimPolicy"/>), looking every <see cref="Interval"/>. A trim lets go of the
/// blocks Kestrel's pools retain (<see cref="TrimmableMemoryPoolFactory"/>) and of the store's idle
/// read connections (<see cref="NodeStore.ReleaseIdleReaders"/>), makes a full, compacting
/// collection that decommits what it frees (<see cref="GCCollectionMode.Aggressive"/>), then calls
/// <c>malloc_trim(3)</c> for what native code (SQLite, OpenSSL) freed. A trim that fails is logged
/// and tried again when the next is due; it never stops the node.
/// </summary>
internal sealed partial class MemoryTrimmer(TrimmableMemoryPoolFactory pools, NodeStore store, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    /// <summary>How often the trimmer looks: 10 s.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly MemoryTrimPolicy _policy = new();
    // Made with the service, not in ExecuteAsync: a fake clock advanced right after StartAsync must not race it.
    private readonly PeriodicTimer _timer = new(Interval, time);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await StartedAsync(stoppingToken).ConfigureAwait(false);
            TryTrim("start-up");
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_policy.ShouldTrim(GC.GetTotalAllocatedBytes()))
                {
                    TryTrim("idle");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Once every service has started and systemd has been told READY=1: start-up never waits for a trim.
    private async Task StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
    }

    private void TryTrim(string after)
    {
        try
        {
            Trim(after);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _policy.Trimmed(GC.GetTotalAllocatedBytes()); // not again at every look: when the next trim is due
            LogTrimFailed(logger, after, ex);
        }
    }

    private void Trim(string after)
    {
        var logged = logger.IsEnabled(LogLevel.Debug);
        var before = logged ? ResidentMemory.Bytes() : 0;
        var started = time.GetTimestamp();
        var buffers = pools.Trim();
        store.ReleaseIdleReaders();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        TrimNativeHeap();
        var live = GC.GetGCMemoryInfo().HeapSizeBytes;
        _policy.Trimmed(GC.GetTotalAllocatedBytes());
        if (logged)
        {
            var (now, took) = (ResidentMemory.Bytes(), time.GetElapsedTime(started));
            LogTrimmed(logger, after, before / (1024.0 * 1024), now / (1024.0 * 1024), live / (1024.0 * 1024), buffers / 1024, took.TotalMilliseconds);
        }
    }

    // glibc's; a C library without it (musl) simply keeps its free pages.
    private static void TrimNativeHeap()
    {
        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory trim ({After}) failed; trying again when the next is due.")]
    private static partial void LogTrimFailed(ILogger logger, string after, Exception exception);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Memory trimmed ({After}): resident {BeforeMiB:F1} MiB, now {AfterMiB:F1} MiB; " +
        "{HeapMiB:F1} MiB of live objects, {BuffersKiB} KiB of idle Kestrel buffers let go ({Milliseconds:F1} ms).")]
    private static partial void LogTrimmed(ILogger logger, string after, double beforeMiB, double afterMiB, double heapMiB, long buffersKiB, double milliseconds);
}
