using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Node.Cli;

namespace Node.Daemon.Tests.Support;

/// <summary>
/// A real <c>sovereign-node</c> with its TCP listener on (port 0: the port it picked is read from
/// its log), and channels to it over the Unix socket and over TCP. Stopped and removed on dispose.
/// </summary>
public sealed partial class TcpDaemon : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly NotifyListener _notify;

    private TcpDaemon(TempDirectory dir, NotifyListener notify, DaemonProcess process)
    {
        _dir = dir;
        _notify = notify;
        Process = process;
    }

    public DaemonProcess Process { get; }

    public string Socket => _dir.Combine(".node", "api.sock");

    public string LogDirectory => _dir.Combine(".node", "logs");

    /// <summary>The TCP port, or 0 when the listener is off.</summary>
    public int Port { get; private set; }

    /// <summary>Every secret the tests were given by this node, to look for where it must not be.</summary>
    public List<string> Secrets { get; } = [];

    /// <summary>Starts a node with <paramref name="settings"/> (<c>Key=Value</c>, passed with --set) and waits for READY=1.</summary>
    public static async Task<TcpDaemon> StartAsync(string kind, params string[] settings)
    {
        var dir = new TempDirectory();
        NotifyListener? notify = null;
        DaemonProcess? process = null;
        try
        {
            notify = new NotifyListener(dir.Path);
            process = DaemonProcess.Start(kind, dir.Path, settings.SelectMany(s => new[] { "--set", s }),
                new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
            var daemon = new TcpDaemon(dir, notify, process);
            await notify.WaitForAsync("READY=1");
            if (settings.Contains("Api:Tcp:Enabled=true", StringComparer.OrdinalIgnoreCase))
            {
                var log = await LogFiles.WaitForAsync(daemon.LogDirectory, "node-*.log", "API TCP listener on ");
                daemon.Port = int.Parse(ListenerLine().Match(log).Groups["port"].Value, CultureInfo.InvariantCulture);
            }

            return daemon;
        }
        catch
        {
            process?.Dispose();
            notify?.Dispose();
            dir.Dispose();
            throw;
        }
    }

    public GrpcChannel OverSocket() => ApiConnection.Open(Socket);

    public GrpcChannel OverTcp(string host = "127.0.0.1") => GrpcChannel.ForAddress($"http://{host}:{Port}");

    /// <summary>Every file under the log directory, read whole.</summary>
    public string AllLogs() =>
        string.Concat(Directory.EnumerateFiles(LogDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(file => LogFiles.Read(Path.GetDirectoryName(file)!, Path.GetFileName(file))));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Signal(DaemonProcess.SIGTERM);
                await Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            Process.Dispose();
            _notify.Dispose();
            _dir.Dispose();
        }
    }

    [GeneratedRegex(@"API TCP listener on 127\.0\.0\.1:(?<port>\d+) ")]
    private static partial Regex ListenerLine();
}
