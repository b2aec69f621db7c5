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

    /// <summary>The socket to use: <paramref name="given"/>, else the installed one when it exists, else the development one.</summary>
    public static string Find(string? given) =>
        given ?? (File.Exists(InstalledSocket) ? InstalledSocket : Path.GetFullPath(DevelopmentSocket));

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
