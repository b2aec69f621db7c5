using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting.Systemd;

namespace Node.Daemon.Systemd;

/// <summary>
/// Sends sd_notify(3) messages to <c>NOTIFY_SOCKET</c>, whatever our parent process is
/// (Microsoft's notifier only speaks when systemd is the parent). Thread-safe.
/// </summary>
public sealed class NotifySocket : ISystemdNotifier, IDisposable
{
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _socket;
    private bool _disposed;

    /// <summary>Creates a notifier for <paramref name="path"/>; <see langword="null"/> makes one that sends nothing.</summary>
    public NotifySocket(string? path)
    {
        if (!string.IsNullOrEmpty(path))
        {
            // A leading '@' names a socket in the abstract namespace (sd_notify(3)).
            _endpoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        }
    }

    /// <inheritdoc />
    public bool IsEnabled => _endpoint is not null;

    /// <summary>
    /// Completes once <c>READY=1</c> has been sent for the first time (at once when nothing is sent):
    /// whatever says <c>RELOADING=1</c> waits for it, so systemd never hears a reload before the start.
    /// </summary>
    public Task FirstReady => IsEnabled ? _ready.Task : Task.CompletedTask;

    /// <inheritdoc />
    public void Notify(ServiceState state) => Send(state.ToString());

    /// <summary>
    /// Sends one datagram of newline-separated <c>KEY=VALUE</c> assignments, such as
    /// <c>WATCHDOG=1</c> or <c>STATUS=Ready</c>. A missing or full socket is ignored, as
    /// sd_notify's callers do: notification must never take the node down, nor wait for systemd
    /// (the socket does not block).
    /// </summary>
    /// <returns>Whether the datagram was sent.</returns>
    public bool Send(string assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        if (_endpoint is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(assignments);
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            try
            {
                _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
                _socket.SendTo(bytes, SocketFlags.None, _endpoint);
                if (!_ready.Task.IsCompleted && assignments.Split('\n').Contains("READY=1"))
                {
                    _ready.TrySetResult();
                }

                return true;
            }
            catch (SocketException)
            {
                _socket?.Dispose();
                _socket = null;
                return false;
            }
        }
    }

    /// <summary>
    /// Sends <c>STATUS=</c> with <paramref name="text"/> on one line (a newline would start
    /// another assignment), as <c>systemctl status</c> shows it.
    /// </summary>
    public bool Status(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Send("STATUS=" + text.ReplaceLineEndings(" "));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _socket?.Dispose();
            _socket = null;
        }
    }
}
