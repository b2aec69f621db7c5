using System.Globalization;
using System.Net;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Node.Protocol.Api;

namespace Node.Daemon.Api.Access;

/// <summary>
/// Decides, before any service method runs, whether a call may: a call over the Unix socket is
/// an operator's (admin, not rate limited); a call over TCP must carry
/// <c>authorization: Bearer &lt;secret&gt;</c> of a valid key, within the key's rate limit, whose
/// scope covers the method (<see cref="ApiScopes"/>). A streaming call is admitted once, when it
/// opens. The admitted caller goes with the call (<see cref="ApiCaller.Of"/>).
/// </summary>
internal sealed partial class ApiAccessInterceptor(
    ApiKeyRegistry keys,
    ApiKeyRateLimiter limiter,
    RefusalLog refusals,
    ILogger<ApiAccessInterceptor> logger) : Interceptor
{
    private const string AuthorizationHeader = "authorization";
    private const string BearerScheme = "Bearer ";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>Admits the call, remembering its caller, or throws the <see cref="RpcException"/> that refuses it.</summary>
    internal void Admit(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (ApiConnections.TransportOf(http) == ApiTransport.UnixSocket)
        {
            ApiCaller.Socket.AttachTo(context);
            return;
        }

        var method = context.Method;
        var remote = RemoteOf(http);
        var header = context.RequestHeaders.GetValue(AuthorizationHeader);
        if (header is null)
        {
            throw Unauthenticated("no API key", null, method, remote,
                "This call came over TCP without an API key: send the header 'authorization: Bearer <secret>' " +
                "(keys are made with ApiKeyService.Create over the node's Unix socket).");
        }

        if (!header.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Unauthenticated("an authorization header that is not 'Bearer <secret>'", null, method, remote,
                "The authorization header is not of the form 'Bearer <secret>'.");
        }

        var check = keys.Check(header[BearerScheme.Length..].Trim());
        var key = check.Key;
        switch (check.Outcome)
        {
            case ApiKeyOutcome.Malformed:
                throw Unauthenticated("a malformed API key", null, method, remote,
                    "The API key is malformed: a key reads snk_<id>_<43 characters>, as ApiKeyService.Create gave it.");
            case ApiKeyOutcome.Unknown:
                // Not per id: made-up ids are free, and each would earn a line of its own.
                throw Unauthenticated("an unknown API key, or a secret that does not match", check.KeyId, method, remote,
                    $"API key {check.KeyId} is not known to this node, or the secret does not match it.");
            case ApiKeyOutcome.Revoked:
                throw Unauthenticated("a revoked API key", check.KeyId, method, remote,
                    $"API key {check.KeyId} was revoked at {Time(key!.RevokedAt!.Value)}; ask an operator for a new one.", perKey: true);
            case ApiKeyOutcome.Valid:
                break;
            default:
                throw new InvalidOperationException($"Unhandled outcome {check.Outcome}.");
        }

        if (!limiter.TryAcquire(key!.Id))
        {
            if (refusals.IsFirst($"over the rate limit, API key {key.Id}"))
            {
                LogRateLimited(logger, key.Id, limiter.PermitsPerSecond, limiter.Burst, remote, method);
            }

            throw new RpcException(new Status(StatusCode.ResourceExhausted, string.Create(CultureInfo.InvariantCulture,
                $"API key {key.Id} is over its rate limit of {limiter.PermitsPerSecond} calls per second (bursts of {limiter.Burst}); slow down and retry.")));
        }

        var needed = ApiScopes.For(method);
        if (!ApiScopes.Allows(key.Scope, needed))
        {
            if (refusals.IsFirst($"scope too low for {method}, API key {key.Id}"))
            {
                LogScopeTooLow(logger, method, ApiScopes.Name(needed), key.Id, ApiScopes.Name(key.Scope), remote);
            }

            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"{method.TrimStart('/')} needs the '{ApiScopes.Name(needed)}' scope; this key ({key.Id}) has '{ApiScopes.Name(key.Scope)}'."));
        }

        new ApiCaller(ApiTransport.Tcp, key).AttachTo(context);
    }

    // Throttled per reason; per key too only where keys are few (real ones, not made-up ids).
    private RpcException Unauthenticated(string reason, string? keyId, string method, string remote, string message, bool perKey = false)
    {
        if (refusals.IsFirst(perKey ? $"{reason}, key {keyId}" : reason))
        {
            if (keyId is null)
            {
                LogUnauthenticated(logger, method, remote, reason);
            }
            else
            {
                LogUnauthenticatedKey(logger, method, remote, reason, keyId);
            }
        }

        return new RpcException(new Status(StatusCode.Unauthenticated, message));
    }

    private static string RemoteOf(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address
            ? new IPEndPoint(address, http.Connection.RemotePort).ToString()
            : "(unknown)";

    private static string Time(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused TCP API call {Method} from {Remote}: {Reason}. Further refusals like it are counted once a minute.")]
    private static partial void LogUnauthenticated(ILogger logger, string method, string remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused TCP API call {Method} from {Remote}: {Reason} (key {KeyId}). Further refusals like it are counted once a minute.")]
    private static partial void LogUnauthenticatedKey(ILogger logger, string method, string remote, string reason, string keyId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "API key {KeyId} is over its rate limit ({PermitsPerSecond}/s, burst {Burst}): refused {Method} from {Remote}. Further refusals are counted once a minute.")]
    private static partial void LogRateLimited(ILogger logger, string keyId, int permitsPerSecond, int burst, string remote, string method);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused TCP API call {Method}: it needs the '{Needed}' scope and API key {KeyId} has '{Held}' (from {Remote}). Further refusals like it are counted once a minute.")]
    private static partial void LogScopeTooLow(ILogger logger, string method, string needed, string keyId, string held, string remote);
}
