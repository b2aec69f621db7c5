using System.Buffers.Binary;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;

namespace Node.Daemon.Api;

/// <summary>Who is calling, for the record (a guardian's verdict, a change of trust).</summary>
internal static class CallerName
{
    /// <summary>
    /// The caller's name: the API key it came with (its name, else its id), else the Unix user on
    /// the other end of the socket (SO_PEERCRED), else "local".
    /// </summary>
    public static string Describe(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Access.ApiCaller.Of(context)?.Key is { } key)
        {
            return string.IsNullOrEmpty(key.Name) ? $"api key {key.Id}" : $"api key {key.Id} ({key.Name})";
        }

        var http = context.GetHttpContext();
        var socket = http.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is { AddressFamily: AddressFamily.Unix } && PeerUid(socket) is { } uid)
        {
            return UserName(uid) is { } user ? user : $"uid {uid}";
        }

        return "local";
    }

    // struct ucred { pid_t pid; uid_t uid; gid_t gid; } from getsockopt(SOL_SOCKET, SO_PEERCRED).
    private static uint? PeerUid(Socket socket)
    {
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            return socket.GetRawSocketOption(1, 17, credentials) == 12 ? BinaryPrimitives.ReadUInt32LittleEndian(credentials[4..]) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static string? UserName(uint uid)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length > 2 && uint.TryParse(fields[2], out var id) && id == uid)
                {
                    return fields[0];
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
