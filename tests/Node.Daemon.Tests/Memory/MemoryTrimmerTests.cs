using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Memory;
using Node.Daemon.Tests.Support;
using Node.Storage;

namespace Node.Daemon.Tests.Memory;

/// <summary>The trimmer's first trim: once the node has started, never before.</summary>
public sealed class MemoryTrimmerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Trims_once_the_host_has_started_and_not_before()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Start);
        await using var store = NodeStore.Open(dir.Path, new StoreOptions(), time, NullLogger.Instance);
        var trimmed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logger = new FakeLogger<MemoryTrimmer>(new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions
        {
            OutputSink = line => { if (line.Contains("Memory trimmed", StringComparison.Ordinal)) { trimmed.TrySetResult(line); } },
        })));
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var trimmer = new MemoryTrimmer(new TrimmableMemoryPoolFactory(), store, lifetime, time, logger);

        await trimmer.StartAsync(TestContext.Current.CancellationToken);
        time.Advance(MemoryTrimmer.Interval * 3);
        Assert.False(trimmed.Task.IsCompleted, "The trimmer trimmed before the host had started.");
        lifetime.NotifyStarted();

        var line = await trimmed.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Memory trimmed (start-up)", line, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Debug, logger.LatestRecord.Level);
        await trimmer.StopAsync(TestContext.Current.CancellationToken);
    }
}
