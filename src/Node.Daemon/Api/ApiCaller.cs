using System.Buffers.Binary;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;

namespace Node.Daemon.Api;

/// <summary>Who is calling, for the record (a guardian's verdict, a change of trust).</summary>
internal static class ApiCaller
{
    /// <summary>The key under which an access check leaves the caller's name in the call's items.</summary>
    public const string ItemKey = "sovereign.caller";

    /// <summary>
    /// The caller's name: what the access check recorded (an API key's name), else the Unix user
    /// on the other end of the socket (SO_PEERCRED), else "local".
    /// </summary>
    public static string Describe(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        if (http.Items.TryGetValue(ItemKey, out var named) && named is string name)
        {
            return name;
        }

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
