using System.Net.Sockets;

namespace Node.Daemon.Api;

/// <summary>The API socket file: a stale one (left by a crash) is replaced; a live one is not taken over.</summary>
public static class ApiSocket
{
    /// <summary>The longest path a Unix socket may have (sun_path, less the terminator).</summary>
    public const int MaxPathBytes = 107;

    /// <summary>Mode of the socket: owner and group may connect (the service group's members use nodectl).</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>
    /// Makes <paramref name="path"/> free to bind: removes a socket nothing listens on; refuses
    /// when something answers there, or when the path is not a socket.
    /// </summary>
    /// <returns>Null when the path is free, else why it is not.</returns>
    public static string? Free(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            return $"API socket path {path} is longer than {MaxPathBytes} bytes; set Api:Socket to a shorter path.";
        }

        // Only a socket is ever replaced: a file, a directory or a FIFO there is someone's, not a crash's.
        var kind = Node.Storage.FileKinds.Of(path);
        if (kind == Node.Storage.FileKind.Missing)
        {
            return null;
        }

        if (kind != Node.Storage.FileKind.Socket)
        {
            return $"API socket path {path} is taken by {Node.Storage.FileKinds.Describe(kind)}, not a socket; move it away.";
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return $"Another process is serving on the API socket {path}; stop it, or set Api:Socket to another path.";
        }
        catch (SocketException)
        {
            // Nobody listens: a socket left by a crash.
            File.Delete(path);
            return null;
        }
    }
}
