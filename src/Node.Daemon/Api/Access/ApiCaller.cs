using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Node.Protocol.Api;

namespace Node.Daemon.Api.Access;

/// <summary>Who made a call, as the access interceptor admitted it.</summary>
/// <param name="Transport">How the call came.</param>
/// <param name="Key">The API key it carried (TCP), or null (the Unix socket).</param>
internal sealed record ApiCaller(ApiTransport Transport, ApiKeyRecord? Key)
{
    /// <summary>A call over the Unix socket: an operator, with admin scope.</summary>
    public static ApiCaller Socket { get; } = new(ApiTransport.UnixSocket, null);

    /// <summary>What the caller may do.</summary>
    public ApiScope Scope => Key?.Scope ?? ApiScope.Admin;

    /// <summary>For the event log: <c>socket</c>, or the key's id.</summary>
    public string Who => Key?.Id ?? "socket";

    /// <summary>The caller of <paramref name="context"/>, or null when the call did not pass the interceptor.</summary>
    public static ApiCaller? Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(typeof(ApiCaller), out var caller) ? caller as ApiCaller : null;
    }

    /// <summary>Remembers the caller with the call.</summary>
    public void AttachTo(ServerCallContext context) => context.UserState[typeof(ApiCaller)] = this;

    /// <summary>Remembers the caller with the request, before its call starts: grpc-dotnet's <c>UserState</c> is the request's items.</summary>
    public void AttachTo(HttpContext http) => http.Items[typeof(ApiCaller)] = this;
}
