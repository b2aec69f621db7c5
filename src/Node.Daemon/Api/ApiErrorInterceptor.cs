using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Node.Daemon.Api.Access;
using Node.Storage.Writing;

namespace Node.Daemon.Api;

/// <summary>
/// Turns what a service throws into a status code, once for every call: the errors services
/// raise on purpose (<see cref="ApiErrors"/>) pass as they are; a full disk is RESOURCE_EXHAUSTED,
/// a store that is closing UNAVAILABLE; a message of a request stream that does not decode is the
/// client's error, INVALID_ARGUMENT (as <see cref="UndecodableRequests"/> makes it of a single
/// request); anything else is INTERNAL with a reference to the error logged here — its message and
/// stack never reach the client.
/// </summary>
internal sealed partial class ApiErrorInterceptor(IHostApplicationLifetime lifetime, ApiRefusals refusals, ILogger<ApiErrorInterceptor> logger)
    : Interceptor
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
            await continuation(new RequestReader<TRequest>(requestStream, context, refusals, logger), responseStream, context).ConfigureAwait(false);
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
            // A client that hangs up mid-stream leaves its read failing with an IOException: not the node's error either.
            case OperationCanceledException or IOException when context.CancellationToken.IsCancellationRequested:
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

    // grpc-dotnet decodes each message of a request stream as the service asks for it.
    private sealed class RequestReader<T>(IAsyncStreamReader<T> inner, ServerCallContext context, ApiRefusals refusals, ILogger logger)
        : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (UndecodableRequests.IsBadRequest(ex) && !context.CancellationToken.IsCancellationRequested)
            {
                throw ApiErrors.InvalidArgument("request", UndecodableRequests.Refuse(logger, refusals, context, ex));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API call {Method} refused: {Reason}")]
    private static partial void LogDiskFull(ILogger logger, string method, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "API call {Method} failed (reference {Reference})")]
    private static partial void LogFailed(ILogger logger, string method, string reference, Exception exception);
}
