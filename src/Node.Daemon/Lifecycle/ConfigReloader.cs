using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Daemon.Configuration;
using Node.Daemon.Logging;
using Node.Daemon.Systemd;
using Node.Storage;
using Node.Storage.Events;
using Node.Storage.Writing;
using Serilog.Core;

namespace Node.Daemon.Lifecycle;

/// <summary>
/// Re-reads the configuration on SIGHUP (<c>systemctl reload</c>). A valid new configuration
/// replaces the running one and what changed is logged; an invalid one is refused with the
/// reason and the node keeps running as it was. Tells systemd <c>RELOADING=1</c> then
/// <c>READY=1</c>, as <c>Type=notify-reload</c> expects.
/// </summary>
public sealed partial class ConfigReloader(
    IConfigurationRoot configuration,
    DaemonLaunch launch,
    LoggingLevelSwitch level,
    NotifySocket notify,
    StoreHost store,
    ILogger<ConfigReloader> logger) : IHostedService, IDisposable
{
    /// <summary>Keys whose new value takes effect without a restart.</summary>
    public static IReadOnlySet<string> LiveKeys { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Logging:Level", "Node:Name" };

    private readonly Lock _gate = new();
    private PosixSignalRegistration? _sighup;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP must not end the process
            ThreadPool.QueueUserWorkItem(_ => Reload());
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sighup?.Dispose();
        _sighup = null;
    }

    /// <summary>Reloads now, as SIGHUP does.</summary>
    /// <returns>The changed keys, or <see langword="null"/> when the new configuration was refused.</returns>
    public IReadOnlyList<string>? Reload()
    {
        lock (_gate)
        {
            var monotonicUsec = Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);
            notify.Send(string.Create(CultureInfo.InvariantCulture, $"RELOADING=1\nSTATUS=Reloading configuration\nMONOTONIC_USEC={monotonicUsec}"));
            try
            {
                return Apply();
            }
            finally
            {
                notify.Send("READY=1\nSTATUS=Running");
            }
        }
    }

    private List<string>? Apply()
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
        }

        var before = Snapshot(configuration);
        configuration.Reload();
        var after = Snapshot(configuration);
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

        var changes = string.Join("; ", changed.Select(k => $"{k}: {Show(k, before)} -> {Show(k, after)}"));
        LogChanged(logger, source, changes);
        Record(changed);
        var restartOnly = string.Join(", ", changed.Where(k => !LiveKeys.Contains(k)));
        if (restartOnly.Length > 0)
        {
            LogNeedsRestart(logger, restartOnly);
        }

        return changed;
    }

    // A reload is a state change; the log keeps which keys changed (never their values, which may be secret).
    private void Record(List<string> changed)
    {
        try
        {
            var payload = JsonSerializer.Serialize(changed.ToArray(), DaemonJson.Default.StringArray);
            store.Store.Writer.WriteAsync(c => c.AppendEvent(EventKinds.ConfigReloaded, $$"""{"changed":{{payload}}}""")).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is StoreWriteException or InvalidOperationException or ObjectDisposedException)
        {
            LogNotRecorded(logger, ex.Message);
        }
    }

    private static Dictionary<string, string> Snapshot(IConfiguration configuration)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is not null)
            {
                values[key] = value;
            }
        }

        return values;
    }

    // Secrets (API keys, passphrases) must never reach a log line.
    private static string Show(string key, Dictionary<string, string> values) =>
        !values.TryGetValue(key, out var value) ? "(unset)"
        : IsSecret(key) ? "(redacted)"
        : $"'{value}'";

    private static bool IsSecret(string key)
    {
        var name = ConfigurationPath.GetSectionKey(key);
        return name.Contains("secret", StringComparison.OrdinalIgnoreCase) || name.Contains("password", StringComparison.OrdinalIgnoreCase) ||
               name.Contains("passphrase", StringComparison.OrdinalIgnoreCase) || name.Contains("token", StringComparison.OrdinalIgnoreCase) ||
               name.EndsWith("key", StringComparison.OrdinalIgnoreCase);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded from {Source}: {Changes}.")]
    private static partial void LogChanged(ILogger logger, string source, string changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the configuration reload in the event log: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded from {Source}: nothing changed.")]
    private static partial void LogUnchanged(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration changes to {Keys} take effect at the next restart.")]
    private static partial void LogNeedsRestart(ILogger logger, string keys);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration reload refused, keeping the running configuration: {Source}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);
}
