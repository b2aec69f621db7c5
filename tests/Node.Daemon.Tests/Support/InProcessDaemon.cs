using Microsoft.Extensions.Hosting;
using Node.Testing.Processes;

namespace Node.Daemon.Tests.Support;

/// <summary>Runs <see cref="DaemonProgram"/> inside the test process with a launch the test describes.</summary>
public static class InProcessDaemon
{
    public static Task<int> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args,
        Action<IHostApplicationBuilder>? customize = null, TextWriter? error = null, TimeProvider? time = null,
        CancellationToken stoppingToken = default)
    {
        var launchEnvironment = new Dictionary<string, string?>(environment);
        foreach (var (name, value) in DaemonProcess.Quiet)
        {
            launchEnvironment.TryAdd(name, value);
        }

        return Task.Run(() => DaemonProgram.RunAsync(args,
            commandLine => new DaemonLaunch(commandLine, launchEnvironment, workingDirectory, Environment.ProcessId) { Time = time ?? TimeProvider.System },
            TextWriter.Null, error ?? TextWriter.Null, customize, stoppingToken), stoppingToken);
    }
}
