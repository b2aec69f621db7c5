using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace Node.Daemon.Binding;

/// <summary>
/// The methods of one gRPC service, bound for grpc-dotnet without reflection. grpc-dotnet's own
/// provider finds a service's methods by reflection when its endpoints are built, 3–5 ms a service
/// in the native-AOT binary; this one takes each method (name, type, marshallers) from the
/// generated <c>BindService</c> and how to call it on the service from a table written beside it,
/// one entry per method, checked by the compiler. Register it with
/// <see cref="GrpcMethodsExtensions.AddGrpcMethods"/>, map the service with
/// <see cref="GrpcMethodsExtensions.MapGrpcMethods"/>.
/// </summary>
/// <example>
/// <code>
/// new GrpcMethods&lt;KnowledgeApi&gt;(binder =&gt; KnowledgeService.BindService(binder, null))
/// {
///     { nameof(KnowledgeApi.Put), (KnowledgeApi s, PutKnowledgeRequest r, ServerCallContext c) =&gt; s.Put(r, c) },
///     { nameof(KnowledgeApi.Watch), (KnowledgeApi s, WatchKnowledgeRequest r, IServerStreamWriter&lt;KnowledgePacket&gt; w, ServerCallContext c) =&gt; s.Watch(r, w, c) },
/// };
/// </code>
/// </example>
/// <typeparam name="TService">The service class: made per call by grpc-dotnet, or taken from the container when registered there.</typeparam>
/// <remarks>Requests are protobuf messages (<see cref="IMessage"/>): that tells a server-streaming entry from a bidirectional one.</remarks>
/// <param name="bind">Calls the generated <c>BindService(ServiceBinderBase, TServiceBase)</c> with the binder given and a null service.</param>
public sealed class GrpcMethods<[DynamicallyAccessedMembers(GrpcMethodsExtensions.ServiceAccessibility)] TService>(Action<ServiceBinderBase> bind) : IServiceMethodProvider<TService>, IEnumerable<string>
    where TService : class
{
    // What grpc-dotnet's reflection provider adds to every method: gRPC is POST only.
    private static readonly List<object> Metadata = [new HttpMethodMetadata(["POST"], acceptCorsPreflight: true)];

    private readonly Dictionary<string, Delegate> _invokers = new(StringComparer.Ordinal);

    /// <summary>Adds how the unary method <paramref name="method"/> (its name in the .proto) is called.</summary>
    public void Add<TRequest, TResponse>(string method, UnaryServerMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class, IMessage where TResponse : class => AddInvoker(method, invoker);

    /// <summary>Adds how the server-streaming method <paramref name="method"/> is called.</summary>
    public void Add<TRequest, TResponse>(string method, ServerStreamingServerMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class, IMessage where TResponse : class => AddInvoker(method, invoker);

    /// <summary>Adds how the client-streaming method <paramref name="method"/> is called.</summary>
    public void Add<TRequest, TResponse>(string method, ClientStreamingServerMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class where TResponse : class => AddInvoker(method, invoker);

    /// <summary>Adds how the bidirectional-streaming method <paramref name="method"/> is called.</summary>
    public void Add<TRequest, TResponse>(string method, DuplexStreamingServerMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class where TResponse : class => AddInvoker(method, invoker);

    /// <summary>
    /// Adds every method of the service to <paramref name="context"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A method of the service has no entry in the table, an entry of the wrong kind, or an entry names no method of the service.</exception>
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var binder = new Binder(this, context);
        bind(binder);
        if (_invokers.Keys.FirstOrDefault(name => !binder.Bound.Contains(name)) is { } extra)
        {
            throw new InvalidOperationException($"The method table of {typeof(TService).Name} names '{extra}', which its service does not have.");
        }
    }

    /// <summary>The method names in the table.</summary>
    public IEnumerator<string> GetEnumerator() => _invokers.Keys.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void AddInvoker(string method, Delegate invoker)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(invoker);
        if (!_invokers.TryAdd(method, invoker))
        {
            throw new ArgumentException($"The method table of {typeof(TService).Name} already has '{method}'.", nameof(method));
        }
    }

    private TInvoker Invoker<TInvoker>(IMethod method) where TInvoker : Delegate =>
        _invokers.TryGetValue(method.Name, out var invoker)
            ? invoker as TInvoker ?? throw new InvalidOperationException(
                $"The method table of {typeof(TService).Name} has '{method.Name}' as another kind of method; {method.ServiceName}/{method.Name} is {method.Type}.")
            : throw new InvalidOperationException(
                $"The method table of {typeof(TService).Name} has no '{method.Name}' ({method.ServiceName}/{method.Name}, {method.Type}).");

    private sealed class Binder(GrpcMethods<TService> methods, ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public HashSet<string> Bound { get; } = new(StringComparer.Ordinal);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Bind(method), Metadata, methods.Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(method));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Bind(method), Metadata, methods.Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Bind(method), Metadata, methods.Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Bind(method), Metadata, methods.Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method));

        private Method<TRequest, TResponse> Bind<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class where TResponse : class
        {
            Bound.Add(method.Name);
            return method;
        }
    }
}
