using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Node.Federation.Diagnostics;

namespace Node.Daemon.Api.Access;

/// <summary>
/// Decides whether a call may go on, from its connection and headers alone: a call over the Unix
/// socket is an operator's (admin, not rate limited); a call over TCP must carry
/// <c>authorization: Bearer &lt;secret&gt;</c> of a valid key, within the key's rate limit, whose
/// scope covers the method (<see cref="ApiScopes"/>). Every refusal is counted
/// (<see cref="ApiRefusals"/>) and logged once a minute per kind (<see cref="RefusalLog"/>).
/// </summary>
internal sealed partial class ApiAccessGate(
    ApiKeyRegistry keys,
    ApiKeyRateLimiter limiter,
    RefusalLog refusals,
    ApiRefusals counts,
    ILogger<ApiAccessGate> logger)
{
    private const string BearerScheme = "Bearer ";

    /// <summary>
    /// Admits a call of <paramref name="method"/> (<c>/package.Service/Method</c>) on
    /// <paramref name="http"/>'s connection carrying <paramref name="authorization"/> (the header's
    /// value, or null), or says why not.
    /// </summary>
    /// <returns>True with the caller; false with the status that refuses the call.</returns>
    public bool TryAdmit(HttpContext http, string method, string? authorization,
        [NotNullWhen(true)] out ApiCaller? caller, out Status refusal)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(method);
        caller = null;
        refusal = Status.DefaultSuccess;
        if (ApiConnections.TransportOf(http) == ApiTransport.UnixSocket)
        {
            caller = ApiCaller.Socket;
            return true;
        }

        var remote = RemoteOf(http);
        // The method comes from the request's path, which is the caller's to make up: logged only when it is one of the node's.
        var logged = ApiScopes.Required.ContainsKey(method) ? method : "(a method the node does not have)";
        if (authorization is null)
        {
            refusal = Unauthenticated("no API key", null, logged, remote,
                "This call came over TCP without an API key: send the header 'authorization: Bearer <secret>' " +
                "(keys are made with ApiKeyService.Create over the node's Unix socket).");
            return false;
        }

        if (!authorization.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            refusal = Unauthenticated("an authorization header that is not 'Bearer <secret>'", null, logged, remote,
                "The authorization header is not of the form 'Bearer <secret>'.");
            return false;
        }

        var check = keys.Check(authorization[BearerScheme.Length..].Trim());
        var key = check.Key;
        switch (check.Outcome)
        {
            case ApiKeyOutcome.Malformed:
                refusal = Unauthenticated("a malformed API key", null, logged, remote,
                    "The API key is malformed: a key reads snk_<id>_<43 characters>, as ApiKeyService.Create gave it.");
                return false;
            case ApiKeyOutcome.Unknown:
                // Not per id: made-up ids are free, and each would earn a line of its own.
                refusal = Unauthenticated("an unknown API key, or a secret that does not match", check.KeyId, logged, remote,
                    $"API key {check.KeyId} is not known to this node, or the secret does not match it.");
                return false;
            case ApiKeyOutcome.Revoked:
                refusal = Unauthenticated("a revoked API key", check.KeyId, logged, remote,
                    $"API key {check.KeyId} was revoked at {Time(key!.RevokedAt!.Value)}; ask an operator for a new one.", perKey: true);
                return false;
            case ApiKeyOutcome.Valid:
                break;
            default:
                throw new InvalidOperationException($"Unhandled outcome {check.Outcome}.");
        }

        if (!limiter.TryAcquire(key!.Id))
        {
            counts.Count(ApiRefusal.OverRateLimit);
            if (refusals.IsFirst($"over the rate limit, API key {key.Id}"))
            {
                LogRateLimited(logger, key.Id, limiter.PermitsPerSecond, limiter.Burst, remote, logged);
            }

            refusal = new Status(StatusCode.ResourceExhausted, string.Create(CultureInfo.InvariantCulture,
                $"API key {key.Id} is over its rate limit of {limiter.PermitsPerSecond} calls per second (bursts of {limiter.Burst}); slow down and retry."));
            return false;
        }

        var needed = ApiScopes.For(method);
        if (!ApiScopes.Allows(key.Scope, needed))
        {
            counts.Count(ApiRefusal.OutOfScope);
            if (refusals.IsFirst($"scope too low for {logged}, API key {key.Id}"))
            {
                LogScopeTooLow(logger, logged, ApiScopes.Name(needed), key.Id, ApiScopes.Name(key.Scope), remote);
            }

            refusal = new Status(StatusCode.PermissionDenied,
                $"{method.TrimStart('/')} needs the '{ApiScopes.Name(needed)}' scope; this key ({key.Id}) has '{ApiScopes.Name(key.Scope)}'.");
            return false;
        }

        caller = new ApiCaller(ApiTransport.Tcp, key);
        return true;
    }

    // Throttled per reason; per key too only where keys are few (real ones, not made-up ids).
    private Status Unauthenticated(string reason, string? keyId, string method, string remote, string message, bool perKey = false)
    {
        counts.Count(ApiRefusal.NoValidKey);
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

        return new Status(StatusCode.Unauthenticated, message);
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
