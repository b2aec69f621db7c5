using Microsoft.Extensions.Hosting;
using Node.Testing.Processes;

namespace Node.Daemon.Tests.Support;

/// <summary>
/// Runs <see cref="DaemonProgram"/> inside the test process with a launch the test describes: the
/// environment given over <see cref="DaemonProcess.Quiet"/>, where a null value unsets a variable.
/// </summary>
public static class InProcessDaemon
{
    /// <summary>An environment without the test kit's peer-port override: the config file's (or the default) applies.</summary>
    public static Dictionary<string, string?> FileDecidesPeerPort() => new() { ["SOVEREIGN_NODE__Federation__PeerPort"] = null };

    public static Task<int> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args,
        Action<IHostApplicationBuilder>? customize = null, TextWriter? error = null, TimeProvider? time = null,
        CancellationToken stoppingToken = default)
    {
        var launchEnvironment = new Dictionary<string, string?>(environment);
        foreach (var (name, value) in DaemonProcess.Quiet)
        {
            launchEnvironment.TryAdd(name, value);
        }

        foreach (var unset in launchEnvironment.Where(e => e.Value is null).Select(e => e.Key).ToList())
        {
            launchEnvironment.Remove(unset);
        }

        return Task.Run(() => DaemonProgram.RunAsync(args,
            commandLine => new DaemonLaunch(commandLine, launchEnvironment, workingDirectory, Environment.ProcessId) { Time = time ?? TimeProvider.System },
            TextWriter.Null, error ?? TextWriter.Null, customize, stoppingToken), stoppingToken);
    }
}
