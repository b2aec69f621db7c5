using Microsoft.Extensions.Hosting;

namespace Node.Daemon.Tests.Support;

/// <summary>Runs <see cref="DaemonProgram"/> inside the test process with a launch the test describes.</summary>
public static class InProcessDaemon
{
    /// <summary>
    /// The environment every test node gets unless the test says otherwise: mDNS discovery off, so test
    /// nodes neither use the machine's port 5353 nor find one another (a test turns it on with
    /// <c>--set Federation:Discovery:Enabled=true</c> and an in-memory link).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Quiet { get; } = new Dictionary<string, string>
    {
        // Cased as the keys are, so a reload's list of changes names Federation:…, not FEDERATION:….
        ["SOVEREIGN_NODE__Federation__Discovery__Enabled"] = "false",
    };

    public static Task<int> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args,
        Action<IHostApplicationBuilder>? customize = null, TextWriter? error = null, TimeProvider? time = null,
        CancellationToken stoppingToken = default)
    {
        var launchEnvironment = new Dictionary<string, string?>(environment);
        foreach (var (name, value) in Quiet)
        {
            launchEnvironment.TryAdd(name, value);
        }

        return Task.Run(() => DaemonProgram.RunAsync(args,
            commandLine => new DaemonLaunch(commandLine, launchEnvironment, workingDirectory, Environment.ProcessId) { Time = time ?? TimeProvider.System },
            TextWriter.Null, error ?? TextWriter.Null, customize, stoppingToken), stoppingToken);
    }
}
