using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Daemon.Systemd;

namespace Node.Daemon.Health;

/// <summary>
/// The heartbeat to systemd (sd_watchdog_enabled(3)): with <c>WATCHDOG_USEC</c> set it sends
/// <c>WATCHDOG=1</c> at half that interval, but only while no critical loop has stalled. A
/// stalled loop withholds the ping, so systemd restarts the node. Without a watchdog it still
/// checks the loops and logs a stall, every <see cref="UnwatchedCheckInterval"/>.
/// </summary>
public sealed partial class WatchdogService : BackgroundService
{
    /// <summary>How often loops are checked when systemd runs no watchdog.</summary>
    public static readonly TimeSpan UnwatchedCheckInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long a loop may be silent when systemd runs no watchdog and the loop set no bound.</summary>
    public static readonly TimeSpan UnwatchedStallBound = TimeSpan.FromSeconds(60);

    private readonly NotifySocket _notify;
    private readonly CriticalLoops _loops;
    private readonly ILogger<WatchdogService> _logger;
    private readonly TimeSpan? _timeout;
    // Made with the service, not in ExecuteAsync: a fake clock advanced right after StartAsync must not race it.
    private readonly PeriodicTimer _timer;
    private string? _stalledNames;

    /// <summary>Creates the service; the watchdog is on when <paramref name="systemd"/> carries a timeout.</summary>
    public WatchdogService(NotifySocket notify, CriticalLoops loops, SystemdEnvironment systemd, TimeProvider time, ILogger<WatchdogService> logger)
    {
        ArgumentNullException.ThrowIfNull(systemd);
        _notify = notify;
        _loops = loops;
        _logger = logger;
        _timeout = notify.IsEnabled ? systemd.WatchdogTimeout : null;
        // PeriodicTimer needs at least 1 ms; a WatchdogSec that short is a misconfiguration we still honour.
        _timer = new PeriodicTimer(_timeout is { } t ? TimeSpan.FromTicks(Math.Max(t.Ticks / 2, TimeSpan.TicksPerMillisecond)) : UnwatchedCheckInterval, time);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timeout is { } timeout)
        {
            LogWatchdogOn(_logger, timeout.TotalMilliseconds, (timeout / 2).TotalMilliseconds);
            _notify.Send("WATCHDOG=1");
        }

        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Check();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Check()
    {
        var stalled = _loops.FindStalled(_timeout ?? UnwatchedStallBound);
        if (stalled.Count == 0)
        {
            if (_timeout is not null)
            {
                _notify.Send("WATCHDOG=1");
            }

            if (_stalledNames is not null)
            {
                LogRecovered(_logger, _stalledNames);
                _notify.Status("Running: all critical loops are making progress");
                _stalledNames = null;
            }

            return;
        }

        var names = string.Join(", ", stalled.Select(s => s.Name));
        if (names != _stalledNames)
        {
            var worst = stalled[0];
            if (_timeout is not null)
            {
                LogStalledWatched(_logger, names, worst.Silence.TotalSeconds, worst.Bound.TotalSeconds);
            }
            else
            {
                LogStalledUnwatched(_logger, names, worst.Silence.TotalSeconds, worst.Bound.TotalSeconds);
            }

            _notify.Status($"Degraded: critical loop {names} has stalled");
            _stalledNames = names;
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watchdog on: timeout {TimeoutMs} ms, pinging every {IntervalMs} ms while all critical loops progress.")]
    private static partial void LogWatchdogOn(ILogger logger, double timeoutMs, double intervalMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Critical loop {Loops} made no progress for {SilenceSeconds:F1} s (bound {BoundSeconds:F1} s); withholding the watchdog ping so systemd restarts the node.")]
    private static partial void LogStalledWatched(ILogger logger, string loops, double silenceSeconds, double boundSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Critical loop {Loops} made no progress for {SilenceSeconds:F1} s (bound {BoundSeconds:F1} s); no systemd watchdog is set, so nothing will restart the node.")]
    private static partial void LogStalledUnwatched(ILogger logger, string loops, double silenceSeconds, double boundSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Critical loop {Loops} is making progress again; watchdog pings resumed.")]
    private static partial void LogRecovered(ILogger logger, string loops);
}
