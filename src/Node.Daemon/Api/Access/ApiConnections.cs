using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Node.Daemon.Api.Access;

/// <summary>
/// Marks each connection with how it came, from the end point it was accepted on, so a call can
/// be told apart: Kestrel does not pass the connection's end points on to a request (only its
/// items). A connection that was never marked is taken for TCP, and so must carry a key.
/// </summary>
internal static class ApiConnections
{
    private static readonly object TransportKey = new();

    /// <summary>Connection middleware for every API listener: marks the connection, then serves it.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Mark { get; } = next => connection =>
    {
        MarkItems(connection.Items, connection.LocalEndPoint);
        return next(connection);
    };

    /// <summary>Records in a connection's <paramref name="items"/> whether <paramref name="local"/> is the Unix socket.</summary>
    public static void MarkItems(IDictionary<object, object?> items, EndPoint? local) =>
        items[TransportKey] = local is UnixDomainSocketEndPoint ? ApiTransport.UnixSocket : ApiTransport.Tcp;

    /// <summary>How the call of <paramref name="http"/> came: the Unix socket only when its connection was marked so.</summary>
    public static ApiTransport TransportOf(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items is { } items &&
        items.TryGetValue(TransportKey, out var transport) && transport is ApiTransport.UnixSocket
            ? ApiTransport.UnixSocket
            : ApiTransport.Tcp;
}
