using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Node.Daemon.Api.Access;

/// <summary>
/// Makes sure no service method runs for a call the <see cref="ApiAccessGate"/> has not admitted.
/// The gate runs first as endpoint middleware (<see cref="ApiAccessExtensions.UseApiAccess(Microsoft.AspNetCore.Builder.IApplicationBuilder)"/>),
/// before grpc-dotnet reads the request, and leaves the caller with the call; a call that comes
/// here without one (a pipeline without the middleware) is put to the gate here. A streaming call
/// is admitted once, when it opens. The admitted caller goes with the call (<see cref="ApiCaller.Of"/>).
/// </summary>
internal sealed class ApiAccessInterceptor(ApiAccessGate gate) : Interceptor
{
    private const string AuthorizationHeader = "authorization";

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
        if (ApiCaller.Of(context) is not null)
        {
            return; // admitted by the middleware
        }

        if (!gate.TryAdmit(context.GetHttpContext(), context.Method, context.RequestHeaders.GetValue(AuthorizationHeader), out var caller, out var refusal))
        {
            throw new RpcException(refusal);
        }

        caller.AttachTo(context);
    }
}
