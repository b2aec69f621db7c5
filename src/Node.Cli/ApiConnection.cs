using System.Net.Sockets;
using Grpc.Net.Client;

namespace Node.Cli;

/// <summary>A gRPC channel to the node's Unix socket, and how nodectl finds it.</summary>
internal static class ApiConnection
{
    /// <summary>The installed socket.</summary>
    public const string InstalledSocket = "/run/sovereign-node/api.sock";

    /// <summary>The development socket, relative to the working directory.</summary>
    public const string DevelopmentSocket = ".node/api.sock";

    /// <summary>The group whose members may use the installed socket.</summary>
    public const string ServiceGroup = "sovereign-node";

    /// <summary>
    /// The socket to use: <paramref name="given"/>, else the installed one when it exists (or its
    /// folder does and this user may not look inside), else the development one.
    /// </summary>
    public static string Find(string? given) =>
        given ?? (Presence(InstalledSocket) != SocketPresence.Missing ? InstalledSocket : Path.GetFullPath(DevelopmentSocket));

    /// <summary>Whether <paramref name="socket"/> is there, missing, or hidden from this user by its folder's mode.</summary>
    public static SocketPresence Presence(string socket)
    {
        if (File.Exists(socket))
        {
            return SocketPresence.Present;
        }

        // File.Exists says false for a file this user may not reach; a folder it may not read says which.
        var folder = Path.GetDirectoryName(Path.GetFullPath(socket));
        if (folder is null || !Directory.Exists(folder))
        {
            return SocketPresence.Missing;
        }

        try
        {
            _ = Directory.EnumerateFileSystemEntries(folder).Any();
            return SocketPresence.Missing;
        }
        catch (UnauthorizedAccessException)
        {
            return SocketPresence.NotPermitted;
        }
    }

    /// <summary>A channel over <paramref name="socket"/>.</summary>
    public static GrpcChannel Open(string socket) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            // The node on the other end is our own: a page of large packets may pass the 4 MiB default.
            MaxReceiveMessageSize = null,
            // Disposing the channel closes its connection (by default the handler, and so the socket, is left open).
            DisposeHttpClient = true,
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await connection.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken).ConfigureAwait(false);
                        return new NetworkStream(connection, ownsSocket: true);
                    }
                    catch
                    {
                        connection.Dispose();
                        throw;
                    }
                },
            },
        });
}

/// <summary>What nodectl can tell about a socket before connecting.</summary>
internal enum SocketPresence
{
    /// <summary>No such socket.</summary>
    Missing,

    /// <summary>The socket is there.</summary>
    Present,

    /// <summary>Its folder exists but this user may not look inside: not in the service group.</summary>
    NotPermitted,
}
