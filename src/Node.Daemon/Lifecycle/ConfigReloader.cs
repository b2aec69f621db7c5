using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Daemon.Configuration;
using Node.Daemon.Logging;
using Node.Daemon.Systemd;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Writing;
using Serilog.Core;
using Node.Storage.Events.Payloads;

namespace Node.Daemon.Lifecycle;

/// <summary>
/// Re-reads the configuration on SIGHUP (<c>systemctl reload</c> with
/// <c>ExecReload=kill -HUP $MAINPID</c>). A new configuration is checked exactly as at start;
/// a valid one replaces the running one as a whole and what changed is logged and recorded; an
/// invalid one is refused with the reason and the node keeps running as it was. Tells systemd
/// <c>RELOADING=1</c> then <c>READY=1</c>. Acts on SIGHUP only between "started" and "stopping",
/// so a reload can never announce readiness during start-up or after shutdown began; a SIGHUP that
/// arrived during start-up (<see cref="HangupSignal"/> held it) is acted on once the node is ready.
/// </summary>
public sealed partial class ConfigReloader(
    LiveConfiguration live,
    DaemonLaunch launch,
    LoggingLevelSwitch level,
    NotifySocket notify,
    NodeStore store,
    HangupSignal hangup,
    IHostApplicationLifetime lifetime,
    ILogger<ConfigReloader> logger) : IHostedService, IDisposable
{
    /// <summary>Keys whose new value takes effect without a restart.</summary>
    public static IReadOnlySet<string> LiveKeys { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Logging:Level", "Node:Name" };

    // One reload at a time; stopping waits for the one under way.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => hangup.Attach(() => _ = ReloadFromSignalAsync()));
        lifetime.ApplicationStopping.Register(hangup.Detach);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        hangup.Detach();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false); // a reload under way finishes first
        _gate.Release();
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>Reloads now, as SIGHUP does.</summary>
    /// <returns>The changed keys, or <see langword="null"/> when the new configuration was refused.</returns>
    public async Task<IReadOnlyList<string>?> ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await notify.FirstReady.WaitAsync(cancellationToken).ConfigureAwait(false);
            var monotonicUsec = Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);
            notify.Send(string.Create(CultureInfo.InvariantCulture, $"RELOADING=1\nMONOTONIC_USEC={monotonicUsec}"));
            notify.Status("Reloading configuration");
            try
            {
                return await ApplyAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                notify.Send("READY=1");
                notify.Status($"Running: node {live.Snapshot().GetValueOrDefault("Node:Name")}");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReloadFromSignalAsync()
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await ReloadAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A reload must never take the node down.
            LogReloadFailed(logger, ex);
        }
    }

    private async Task<List<string>?> ApplyAsync(CancellationToken cancellationToken)
    {
        var source = launch.ConfigFile ?? "environment and command line (no config file)";
        if (!NodeConfiguration.TryBuild(launch, out var candidate, out var buildError))
        {
            LogRefused(logger, source, buildError);
            return null;
        }

        using (candidate as IDisposable)
        {
            var errors = NodeOptionsRegistration.Check(candidate, launch);
            if (errors.Count > 0)
            {
                var reasons = string.Join(" ", errors);
                LogRefused(logger, source, reasons);
                return null;
            }

            var before = live.Snapshot();
            live.Replace(candidate);
            var after = live.Snapshot();
            var changed = before.Keys.Union(after.Keys, StringComparer.OrdinalIgnoreCase)
                .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
                .Order(StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (changed.Count == 0)
            {
                LogUnchanged(logger, source);
                return changed;
            }

            if (after.GetValueOrDefault("Logging:Level") is { } newLevel)
            {
                level.MinimumLevel = NodeLogging.ParseLevel(newLevel);
            }

            var changes = string.Join("; ", changed.Select(k =>
                $"{k}: {ConfigurationSecrets.Show(k, before.GetValueOrDefault(k))} -> {ConfigurationSecrets.Show(k, after.GetValueOrDefault(k))}"));
            LogChanged(logger, source, changes);
            await RecordAsync(changed, cancellationToken).ConfigureAwait(false);
            var restartOnly = string.Join(", ", changed.Where(k => !LiveKeys.Contains(k)));
            if (restartOnly.Length > 0)
            {
                LogNeedsRestart(logger, restartOnly);
            }

            return changed;
        }
    }

    // A reload is a state change; the log keeps which keys changed (never their values, which may be secret).
    private async Task RecordAsync(List<string> changed, CancellationToken cancellationToken)
    {
        try
        {
            var reloaded = new ConfigReloadedEvent(changed);
            await store.Writer.WriteAsync(c => c.AppendEvent(reloaded), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreWriteException or ObjectDisposedException)
        {
            LogNotRecorded(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded from {ConfigSource}: {Changes}.")]
    private static partial void LogChanged(ILogger logger, string configSource, string changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the configuration reload in the event log: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded from {ConfigSource}: nothing changed.")]
    private static partial void LogUnchanged(ILogger logger, string configSource);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration changes to {Keys} take effect at the next restart.")]
    private static partial void LogNeedsRestart(ILogger logger, string keys);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration reload refused, keeping the running configuration: {ConfigSource}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string configSource, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration reload failed; the running configuration is unchanged.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
