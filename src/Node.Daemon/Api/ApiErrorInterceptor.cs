using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Storage.Writing;

namespace Node.Daemon.Api;

/// <summary>
/// Turns what a service throws into a status code, once for every call: the errors services
/// raise on purpose (<see cref="ApiErrors"/>) pass as they are; a full disk is RESOURCE_EXHAUSTED,
/// a store that is closing UNAVAILABLE; anything else is INTERNAL with a reference to the error
/// logged here — its message and stack never reach the client.
/// </summary>
internal sealed partial class ApiErrorInterceptor(IHostApplicationLifetime lifetime, ILogger<ApiErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    private RpcException Map(Exception ex, ServerCallContext context)
    {
        switch (ex)
        {
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
            case OperationCanceledException or ObjectDisposedException when lifetime.ApplicationStopping.IsCancellationRequested:
                return ApiErrors.Unavailable("The node is stopping.");
            case StoreWriteException { IsDiskFull: true } full:
                LogDiskFull(logger, context.Method, full.Message);
                return ApiErrors.ResourceExhausted("The node's disk is full; nothing was stored. Free space and retry.");
            case StoreWriteException failed:
                LogFailed(logger, context.Method, "store", failed);
                return ApiErrors.Unavailable("The node's store stopped taking writes; the node is restarting it.");
            default:
                var reference = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
                LogFailed(logger, context.Method, reference, ex);
                return new RpcException(new Status(StatusCode.Internal, $"Internal error (reference {reference} in the node's error log)."));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API call {Method} refused: {Reason}")]
    private static partial void LogDiskFull(ILogger logger, string method, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "API call {Method} failed (reference {Reference})")]
    private static partial void LogFailed(ILogger logger, string method, string reference, Exception exception);
}
