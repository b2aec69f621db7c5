using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Node.Daemon.Memory;

/// <summary>
/// A measurement aid, off unless <c>SOVEREIGN_NODE_MEMORY_REPORT</c> names an interval in seconds
/// (1 to 3600): logs the GC's settings once, then every interval the process's resident memory
/// (<c>/proc/self/status</c>) beside the GC's own view of its heap, so a figure of RSS can be split
/// into managed heap, memory the GC holds committed, and the rest (binary, native, stacks).
/// docs/performance.md uses it; it is no setting of the node.
/// </summary>
internal sealed partial class MemoryReport(TimeSpan interval, TimeProvider time, ILogger<MemoryReport> logger) : BackgroundService
{
    /// <summary>The environment variable that turns the report on.</summary>
    public const string EnvironmentVariable = "SOVEREIGN_NODE_MEMORY_REPORT";

    // Made with the service, not in ExecuteAsync: a fake clock advanced right after StartAsync must not race it.
    private readonly PeriodicTimer _timer = new(interval, time);

    /// <summary>The interval asked for in <paramref name="environment"/>, or null when the report is off or the value is not 1–3600.</summary>
    public static TimeSpan? Interval(IReadOnlyDictionary<string, string?> environment) =>
        environment.TryGetValue(EnvironmentVariable, out var text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = string.Join(", ", GC.GetConfigurationVariables().Select(v => $"{v.Key}={v.Value}"));
        LogSettings(logger, settings);
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Report();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Report()
    {
        var status = ProcStatus();
        var (rss, anon, file, threads) = (status.GetValueOrDefault("VmRSS"), status.GetValueOrDefault("RssAnon"),
            status.GetValueOrDefault("RssFile"), status.GetValueOrDefault("Threads"));
        var gc = GC.GetGCMemoryInfo();
        var (heap, committed, fragmented, allocated) = (gc.HeapSizeBytes / 1024, gc.TotalCommittedBytes / 1024, gc.FragmentedBytes / 1024,
            GC.GetTotalAllocatedBytes() / 1024);
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        LogReport(logger, rss, anon, file, threads, heap, committed, fragmented, allocated, gen0, gen1, gen2);
    }

    // The kB figures (and the thread count) of /proc/self/status by name.
    private static Dictionary<string, long> ProcStatus()
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var number = colon < 0 ? "" : line[(colon + 1)..].Trim().Split(' ')[0];
            if (long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                values[line[..colon]] = value;
            }
        }

        return values;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory report: GC settings {Settings}.")]
    private static partial void LogSettings(ILogger logger, string settings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory report: RSS {RssKiB} KiB (anonymous {AnonKiB}, files {FileKiB}), {Threads} threads; " +
        "GC heap {HeapKiB} KiB, committed {CommittedKiB} KiB, fragmented {FragmentedKiB} KiB, allocated since start {AllocatedKiB} KiB, collections {Gen0}/{Gen1}/{Gen2}.")]
    private static partial void LogReport(ILogger logger, long rssKiB, long anonKiB, long fileKiB, long threads,
        long heapKiB, long committedKiB, long fragmentedKiB, long allocatedKiB, int gen0, int gen1, int gen2);
}
