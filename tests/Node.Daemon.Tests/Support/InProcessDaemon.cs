using Microsoft.Extensions.Hosting;

namespace Node.Daemon.Tests.Support;

/// <summary>Runs <see cref="DaemonProgram"/> inside the test process with a launch the test describes.</summary>
public static class InProcessDaemon
{
    public static Task<int> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args,
        Action<IHostApplicationBuilder>? customize = null, TextWriter? error = null, CancellationToken stoppingToken = default) =>
        Task.Run(() => DaemonProgram.RunAsync(args,
            commandLine => new DaemonLaunch(commandLine, environment, workingDirectory, Environment.ProcessId),
            TextWriter.Null, error ?? TextWriter.Null, customize, stoppingToken), stoppingToken);
}
