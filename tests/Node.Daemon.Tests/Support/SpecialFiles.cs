using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Node.Daemon.Tests.Support;

/// <summary>Makes the things that are not regular files: a FIFO, a listening Unix socket.</summary>
public static partial class SpecialFiles
{
    /// <summary>mkfifo(3) with mode 0600.</summary>
    public static void MakeFifo(string path)
    {
        if (MkFifo(path, 0x180) != 0)
        {
            throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>A Unix socket bound at <paramref name="path"/> (the file stays after it is disposed).</summary>
    public static Socket BindSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);
}
