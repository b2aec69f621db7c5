using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Health;
using Node.Daemon.Systemd;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests;

/// <summary>The daemon's sd_notify traffic, in process, against a real notify socket.</summary>
public sealed class WatchdogTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1); // half of WATCHDOG_USEC below

    [Fact]
    public async Task Ready_is_sent_only_after_start_up_work_is_done()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var gate = new GatedStartup(notify.Path);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path }, [],
            b => b.Services.AddHostedService(_ => gate), stoppingToken: stop.Token);
        await gate.Entered.Task.WaitAsync(TestContext.Current.CancellationToken);

        Assert.True(File.Exists(dir.Combine(".node", "node.db")), "The store is open before the last start-up step.");
        gate.Release.SetResult();
        // The gate's own datagram goes out as its start-up step ends; READY=1 must come after it
        // (waiting for the marker consumes, and so would lose, an earlier READY=1).
        await notify.WaitForAsync(GatedStartup.Marker);
        await notify.WaitForAsync("READY=1");
        Assert.DoesNotContain(notify.Seen.TakeWhile(m => m != GatedStartup.Marker), m => NotifyListener.Contains(m, "READY=1"));

        await stop.CancelAsync();
        await notify.WaitForAsync("STOPPING=1");
        Assert.Equal(ExitCodes.Ok, await run);
    }

    [Fact]
    public async Task Pings_the_watchdog_only_while_every_critical_loop_progresses()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var time = new FakeTimeProvider(Start);
        var hung = new RegisteredLoop("test-loop");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "2000000" };

        var run = InProcessDaemon.RunAsync(dir.Path, environment, [],
            b => b.Services.AddHostedService(sp => hung.With(sp.GetRequiredService<CriticalLoops>())), stoppingToken: stop.Token, time: time);
        await WaitForAllAsync(notify, "READY=1", "STATUS=Ready", "WATCHDOG=1");

        time.Advance(Interval); // the loop has been silent 1 s of its 2 s
        Assert.Equal("WATCHDOG=1", await notify.NextAsync());
        time.Advance(Interval); // 2 s: at the bound, not past it
        Assert.Equal("WATCHDOG=1", await notify.NextAsync());
        time.Advance(Interval); // 3 s: stalled
        Assert.Equal("STATUS=Degraded: critical loop test-loop has stalled", await notify.NextAsync()); // and no ping
        hung.Loop.Beat();
        time.Advance(Interval);
        Assert.Equal("WATCHDOG=1", await notify.NextAsync());
        Assert.Equal("STATUS=Running: all critical loops are making progress", await notify.NextAsync());

        await stop.CancelAsync();
        await notify.WaitForAsync("STOPPING=1");
        Assert.Equal(ExitCodes.Ok, await run);
    }

    [Fact]
    public async Task Without_WATCHDOG_USEC_no_ping_is_sent()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var time = new FakeTimeProvider(Start);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path }, [],
            stoppingToken: stop.Token, time: time);
        await WaitForAllAsync(notify, "READY=1", "STATUS=Ready");
        time.Advance(TimeSpan.FromMinutes(5));
        await stop.CancelAsync();
        await notify.WaitForAsync("STOPPING=1");
        Assert.Equal(ExitCodes.Ok, await run);

        Assert.DoesNotContain(notify.Seen, m => m.Contains("WATCHDOG=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_worker_that_fails_stops_the_node_with_exit_code_1()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path }, [],
            b => b.Services.AddHostedService<FailingWorker>(), stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Failure, exitCode);
        await notify.WaitForAsync("STATUS=Failed: FailingWorker failed");
        Assert.Contains("Node stopped because FailingWorker failed.", LogFiles.Read(dir.Combine(".node", "logs"), "errors-*.log"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_that_fails_while_the_node_is_still_starting_stops_it_with_exit_code_1()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);

        // The worker fails while a service after it is still starting: the host stops start-up.
        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path }, [],
            b =>
            {
                b.Services.AddHostedService<FailingWorker>();
                b.Services.AddHostedService<StartsUntilStopped>();
            },
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Failure, exitCode);
        await notify.WaitForAsync("STATUS=Failed: FailingWorker failed");
        Assert.Contains("Node stopped because FailingWorker failed.", LogFiles.Read(dir.Combine(".node", "logs"), "errors-*.log"), StringComparison.Ordinal);
    }

    // A service whose start lasts until the node is asked to stop.
    private sealed class StartsUntilStopped(IHostApplicationLifetime lifetime) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var stopping = new TaskCompletionSource();
            using (lifetime.ApplicationStopping.Register(stopping.SetResult))
            {
                await stopping.Task.WaitAsync(cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class FailingWorker : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("worker broke");
        }
    }

    private static async Task WaitForAllAsync(NotifyListener notify, params string[] assignments)
    {
        var missing = new HashSet<string>(assignments);
        while (missing.Count > 0)
        {
            var message = await notify.NextAsync();
            missing.RemoveWhere(a => NotifyListener.Contains(message, a));
        }
    }

    [Fact]
    public async Task A_stop_requested_during_start_up_ends_cleanly_without_ready()
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var gate = new GatedStartup(notify.Path);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path }, [],
            b => b.Services.AddHostedService(_ => gate), stoppingToken: stop.Token);
        await gate.Entered.Task.WaitAsync(TestContext.Current.CancellationToken);
        await stop.CancelAsync();

        Assert.Equal(ExitCodes.Ok, await run);
        Assert.DoesNotContain(notify.Seen, m => NotifyListener.Contains(m, "READY=1"));
    }

    /// <summary>A start-up step that ends when the test says, and says so on the notify socket.</summary>
    private sealed class GatedStartup(string notifySocket) : IHostedService
    {
        public const string Marker = "X-TEST=start-up step done";

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            Entered.SetResult();
            await Release.Task.WaitAsync(cancellationToken);
            using var socket = new NotifySocket(notifySocket);
            socket.Send(Marker);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A critical loop that progresses only when the test says so.</summary>
    private sealed class RegisteredLoop(string name) : IHostedService
    {
        private CriticalLoops? _loops;

        public CriticalLoopRegistration Loop { get; private set; } = null!;

        public RegisteredLoop With(CriticalLoops loops)
        {
            _loops = loops;
            return this;
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Loop = _loops!.Register(name);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Loop.Dispose();
            return Task.CompletedTask;
        }
    }
}
