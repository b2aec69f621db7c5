using System.Diagnostics;
using Microsoft.Extensions.Options;
using Node.Daemon.Configuration;
using Node.Daemon.Memory;
using Node.Reasoning.Observations;
using Node.Storage;

namespace Node.Daemon.Reasoning;

/// <summary>
/// Samples the node's own health for Kenny: the process's CPU over the last interval (a fraction of all cores),
/// its working set over the memory available to it (the cgroup limit when there is one), the state directory's
/// file system in use, and the store's commit round trip (an empty write through the writer).
/// </summary>
/// <remarks>
/// CPU time from <see cref="Environment.CpuUsage"/> and resident memory from <see cref="ResidentMemory"/>:
/// <see cref="Process"/> reads the status of every thread to answer either, which was most of what
/// an idle node allocated (and so of how fast its resident memory grew between trims).
/// </remarks>
internal sealed class HealthSampler(NodeStore store, IOptions<NodeOptions> node, TimeProvider time)
{
    private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;
    private long _lastAt = Stopwatch.GetTimestamp();

    public async Task<HealthSample> SampleAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await store.Writer.WriteAsync(_ => { }, cancellationToken).ConfigureAwait(false);
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        var cpu = Environment.CpuUsage.TotalTime;
        var now = Stopwatch.GetTimestamp();
        var wall = Stopwatch.GetElapsedTime(_lastAt, now).TotalSeconds * Environment.ProcessorCount;
        var cpuShare = wall > 0 ? Math.Clamp((cpu - _lastCpu).TotalSeconds / wall, 0, 1) : 0;
        (_lastCpu, _lastAt) = (cpu, now);

        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var memory = available > 0 ? Math.Clamp((double)ResidentMemory.Bytes() / available, 0, 1) : 0;

        var disk = 0.0;
        try
        {
            var drive = new DriveInfo(node.Value.DataDirectory);
            disk = drive.TotalSize > 0 ? Math.Clamp(1 - ((double)drive.AvailableFreeSpace / drive.TotalSize), 0, 1) : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A file system that cannot be read reports no use; the store's own errors say more.
        }

        return new HealthSample(time.GetUtcNow().ToUnixTimeSeconds(), cpuShare, memory, disk, latency);
    }
}
