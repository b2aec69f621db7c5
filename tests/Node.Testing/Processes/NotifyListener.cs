using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Node.Testing.Processes;

/// <summary>
/// A real sd_notify socket: a Unix datagram socket bound in a temp directory, as systemd's.
/// Every datagram received is kept in order; tests wait for the one they expect.
/// </summary>
public sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket;
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly List<string> _seen = [];

    public NotifyListener(string directory)
    {
        Path = System.IO.Path.Combine(directory, "notify.sock");
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _receiving = ReceiveAsync();
    }

    /// <summary>The socket path, for NOTIFY_SOCKET.</summary>
    public string Path { get; }

    /// <summary>Every datagram taken by <see cref="NextAsync"/> or <see cref="WaitForAsync"/> so far.</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>The next datagram; fails the test if none comes within <paramref name="timeout"/>.</summary>
    public async Task<string> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            var message = await _messages.Reader.ReadAsync(cts.Token);
            lock (_seen)
            {
                _seen.Add(message);
            }

            return message;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No sd_notify datagram arrived in time. Seen so far: [{string.Join(" | ", Seen)}]");
        }
    }

    /// <summary>Takes datagrams until one contains <paramref name="assignment"/>, returning it.</summary>
    public async Task<string> WaitForAsync(string assignment, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"'{assignment}' did not arrive in time. Seen: [{string.Join(" | ", Seen)}]");
            }

            var message = await NextAsync(left);
            if (Contains(message, assignment))
            {
                return message;
            }
        }
    }

    /// <summary>Whether a datagram is already waiting, without waiting for one.</summary>
    public bool HasPending => _messages.Reader.TryPeek(out _);

    /// <summary>Whether a datagram holds the line <paramref name="assignment"/> (or a line starting with it).</summary>
    public static bool Contains(string message, string assignment) =>
        message.Split('\n').Any(line => line.StartsWith(assignment, StringComparison.Ordinal));

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                await _messages.Writer.WriteAsync(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receiving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
        File.Delete(Path);
    }
}
