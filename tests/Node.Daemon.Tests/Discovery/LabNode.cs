using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Node.Daemon.Tests.Support;
using Node.Testing.Network;

namespace Node.Daemon.Tests.Discovery;

/// <summary>
/// A real <c>sovereign-node</c> with mDNS discovery on, running in a <see cref="NetworkLab"/> host:
/// the AOT binary when one is published (the appliance's), the JIT build otherwise.
/// </summary>
internal sealed partial class LabNode : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private LabNode(LabHost host, TempDirectory directory, LabProcess process)
    {
        Host = host;
        _directory = directory;
        Process = process;
    }

    public static string Kind => DaemonProcess.AotBinary() is null ? "jit" : "aot";

    public LabHost Host { get; }

    public LabProcess Process { get; }

    public string DataDirectory => _directory.Path;

    public string Socket => _directory.Combine("api.sock");

    /// <summary>
    /// Starts a node in <paramref name="host"/>; <paramref name="prepare"/> may put files (an identity) in its
    /// data directory first; <paramref name="args"/> are added to its command line (<c>--set KEY=VALUE</c>).
    /// </summary>
    public static LabNode Start(LabHost host, string name, Action<string>? prepare = null, IReadOnlyList<string>? args = null)
    {
        var directory = new TempDirectory();
        prepare?.Invoke(directory.Path);
        List<string> command = Kind == "aot"
            ? [DaemonProcess.AotBinary()!]
            : ["dotnet", "exec", Path.Combine(AppContext.BaseDirectory, "sovereign-node.dll")];
        command.AddRange(["--data-dir", directory.Path, "--name", name, "--set", "Federation:Discovery:Enabled=true"]);
        command.AddRange(args ?? []);
        return new LabNode(host, directory, host.Lab.Start(host.Namespace, command));
    }

    /// <summary>Waits for discovery to start and gives the node id it announces.</summary>
    public async Task<string> AnnouncingAsync()
    {
        var line = await Process.WaitForLineAsync(l => l.Contains("mDNS discovery announcing", StringComparison.Ordinal));
        return AnnouncingLine().Match(line).Groups["id"].Value;
    }

    /// <summary>Waits for a log line that contains <paramref name="text"/>.</summary>
    public Task<string> LineAsync(string text, TimeSpan? timeout = null) =>
        Process.WaitForLineAsync(l => l.Contains(text, StringComparison.Ordinal), timeout);

    public bool Printed(string text) => Process.Lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Runs nodectl against this node and parses its <c>--json</c> output.</summary>
    public async Task<JsonElement> NodeCtlJsonAsync(params string[] args)
    {
        var result = await NodeCtlProcess.RunAsync(Kind, ["--socket", Socket, .. args, "--json"]);
        Assert.True(result.Code == 0, $"nodectl {string.Join(' ', args)}: {result}");
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }

    public void Terminate()
    {
        if (Kill(Process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill({Process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _directory.Dispose();
    }

    [GeneratedRegex(@"announcing (?<id>[A-Z2-7]{7}-[A-Z2-7]{7}-[A-Z2-7]{7}-[A-Z2-7]{7})")]
    private static partial Regex AnnouncingLine();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
