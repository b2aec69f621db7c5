using Grpc.Core;
using Microsoft.Extensions.Logging;
using Node.Protocol.Api;
using Node.Storage.Writing;

namespace Node.Daemon.Api.Access;

/// <summary><c>sovereign.api.v1.ApiKeyService</c>: keys for the TCP listener (admin only, <see cref="ApiScopes"/>).</summary>
internal sealed partial class ApiKeyApi(ApiKeyRegistry keys, ApiKeyRateLimiter limiter, ILogger<ApiKeyApi> logger) : ApiKeyService.ApiKeyServiceBase
{
    /// <summary>The longest key name, in characters.</summary>
    public const int MaxNameLength = 64;

    public override async Task<CreatedApiKey> Create(CreateApiKeyRequest request, ServerCallContext context)
    {
        if (!ApiScopes.IsScope(request.Scope))
        {
            throw InvalidArgument(request.Scope == ApiScope.Unspecified
                ? "scope: must be set to API_SCOPE_READ, API_SCOPE_WRITE or API_SCOPE_ADMIN; API_SCOPE_UNSPECIFIED is refused."
                : $"scope: must be API_SCOPE_READ, API_SCOPE_WRITE or API_SCOPE_ADMIN; was {(int)request.Scope}.");
        }

        if (request.Name.Length > MaxNameLength)
        {
            throw InvalidArgument($"name: must be at most {MaxNameLength} characters; was {request.Name.Length}.");
        }

        if (IndexOfControl(request.Name) is var at and >= 0)
        {
            throw InvalidArgument($"name: must not hold control characters; character {at + 1} is U+{(int)request.Name[at]:X4}.");
        }

        var (key, secret) = await StoreCall(() => keys.CreateAsync(request.Scope, request.Name, Who(context), context.CancellationToken)).ConfigureAwait(false);
        return new CreatedApiKey { Key = key.ToMessage(), Secret = secret };
    }

    public override Task<ListApiKeysReply> List(ListApiKeysRequest request, ServerCallContext context)
    {
        var reply = new ListApiKeysReply();
        reply.Keys.AddRange(keys.List().Select(k => k.ToMessage()));
        return Task.FromResult(reply);
    }

    public override async Task<ApiKey> Revoke(RevokeApiKeyRequest request, ServerCallContext context)
    {
        // Not echoed unless it has the form of an id: a secret pasted here by mistake must not come back in an error.
        if (!ApiKeySecrets.IsId(request.Id))
        {
            throw InvalidArgument(request.Id.Length == 0
                ? "id: must not be empty."
                : "id: is not an API key id (k followed by 10 characters of a-z and 2-7, as ApiKeyService.List shows).");
        }

        var key = await StoreCall(() => keys.RevokeAsync(request.Id, Who(context), context.CancellationToken)).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"API key {request.Id} not found."));
        limiter.Forget(key.Id);
        return key.ToMessage();
    }

    private static int IndexOfControl(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Who(ServerCallContext context) => ApiCaller.Of(context)?.Who ?? "unknown";

    private static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    // Store outcomes to status codes, in one place; the client gets no internal detail.
    private async Task<T> StoreCall<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (StoreWriteException ex) when (ex.IsDiskFull)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "The node's disk is full; nothing was changed."));
        }
        catch (ObjectDisposedException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The node is stopping; nothing was changed."));
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            var reference = Guid.NewGuid().ToString("N")[..12];
            LogFailed(logger, reference, ex);
            throw new RpcException(new Status(StatusCode.Internal, $"The change could not be made; see reference {reference} in the node's error log."));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "API key change failed (reference {Reference}).")]
    private static partial void LogFailed(ILogger logger, string reference, Exception exception);
}
