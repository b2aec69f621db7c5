using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Node.Cli.Tests.Fakes;

/// <summary>The status every call is refused with, when set.</summary>
public sealed class Refusal
{
    public Status? Status { get; set; }
}

/// <summary>Refuses every call with <see cref="Refusal.Status"/>, when it is set.</summary>
public sealed class RefusingInterceptor(Refusal refusal) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation) =>
        refusal.Status is { } status ? throw new RpcException(status) : continuation(request, context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        refusal.Status is { } status ? throw new RpcException(status) : continuation(request, responseStream, context);
}
