using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace Node.Daemon.Binding;

/// <summary>
/// The methods of one gRPC service, bound for grpc-dotnet from a table instead of by reflection.
/// grpc-dotnet's own provider finds a service's methods by reflection and binds them through the
/// generated <c>BindService</c>, whose every <c>AddMethod&lt;TRequest, TResponse&gt;</c> is a
/// generic virtual call the native-AOT runtime resolves, and builds types for, the first time:
/// 3–5 ms a service. This one takes each method's name and kind from the service's descriptor (the
/// .proto) and how to call it from a table written beside it, one entry per method, checked by the
/// compiler; it makes the <see cref="Method{TRequest, TResponse}"/> itself. Register it with
/// <see cref="GrpcMethodsExtensions.AddGrpcMethods"/>, map the service with
/// <see cref="GrpcMethodsExtensions.MapGrpcMethods"/>.
/// </summary>
/// <example>
/// <code>
/// new GrpcMethods&lt;KnowledgeApi&gt;(KnowledgeService.Descriptor)
/// {
///     { nameof(KnowledgeApi.Put), (KnowledgeApi s, PutKnowledgeRequest r, ServerCallContext c) =&gt; s.Put(r, c) },
///     { nameof(KnowledgeApi.Watch), (KnowledgeApi s, WatchKnowledgeRequest r, IServerStreamWriter&lt;KnowledgePacket&gt; w, ServerCallContext c) =&gt; s.Watch(r, w, c) },
/// };
/// </code>
/// </example>
/// <typeparam name="TService">The service class: made per call by grpc-dotnet, or taken from the container when registered there.</typeparam>
/// <param name="service">The service as the .proto declares it (the generated <c>Descriptor</c> of its class).</param>
public sealed class GrpcMethods<[DynamicallyAccessedMembers(GrpcMethodsExtensions.ServiceAccessibility)] TService>(ServiceDescriptor service)
    : IServiceMethodProvider<TService>, IEnumerable<string>
    where TService : class
{
    // What grpc-dotnet's reflection provider adds to every method: gRPC is POST only.
    private static readonly List<object> Metadata = [new HttpMethodMetadata(["POST"], acceptCorsPreflight: true)];

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Adds how the unary method <paramref name="method"/> (its name in the .proto) is called.</summary>
    /// <exception cref="ArgumentException">The table already has <paramref name="method"/>.</exception>
    public void Add<TRequest, TResponse>(string method, UnaryServerMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class, IMessage<TRequest>, IBufferMessage where TResponse : class, IMessage<TResponse>, IBufferMessage =>
        AddEntry<TRequest, TResponse>(method, MethodType.Unary, invoker,
            (context, m) => context.AddUnaryMethod(m, Metadata, invoker));

    /// <summary>Adds how the server-streaming method <paramref name="method"/> is called.</summary>
    /// <exception cref="ArgumentException">The table already has <paramref name="method"/>.</exception>
    public void Add<TRequest, TResponse>(string method, ServerStreamingServerMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class, IMessage<TRequest>, IBufferMessage where TResponse : class, IMessage<TResponse>, IBufferMessage =>
        AddEntry<TRequest, TResponse>(method, MethodType.ServerStreaming, invoker,
            (context, m) => context.AddServerStreamingMethod(m, Metadata, invoker));

    /// <summary>Adds how the client-streaming method <paramref name="method"/> is called.</summary>
    /// <exception cref="ArgumentException">The table already has <paramref name="method"/>.</exception>
    public void Add<TRequest, TResponse>(string method, ClientStreamingServerMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class, IMessage<TRequest>, IBufferMessage where TResponse : class, IMessage<TResponse>, IBufferMessage =>
        AddEntry<TRequest, TResponse>(method, MethodType.ClientStreaming, invoker,
            (context, m) => context.AddClientStreamingMethod(m, Metadata, invoker));

    /// <summary>Adds how the bidirectional-streaming method <paramref name="method"/> is called.</summary>
    /// <exception cref="ArgumentException">The table already has <paramref name="method"/>.</exception>
    public void Add<TRequest, TResponse>(string method, DuplexStreamingServerMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class, IMessage<TRequest>, IBufferMessage where TResponse : class, IMessage<TResponse>, IBufferMessage =>
        AddEntry<TRequest, TResponse>(method, MethodType.DuplexStreaming, invoker,
            (context, m) => context.AddDuplexStreamingMethod(m, Metadata, invoker));

    /// <summary>Adds every method of the service, as its descriptor declares them, to <paramref name="context"/>.</summary>
    /// <exception cref="InvalidOperationException">
    /// A method of the service has no entry in the table or an entry of another kind or message types,
    /// or an entry names no method of the service.
    /// </exception>
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_entries.Keys.FirstOrDefault(name => service.FindMethodByName(name) is null) is { } extra)
        {
            throw new InvalidOperationException($"The method table of {typeof(TService).Name} names '{extra}', which {service.FullName} does not have.");
        }

        foreach (var method in service.Methods)
        {
            var type = (method.IsClientStreaming, method.IsServerStreaming) switch
            {
                (false, false) => MethodType.Unary,
                (false, true) => MethodType.ServerStreaming,
                (true, false) => MethodType.ClientStreaming,
                (true, true) => MethodType.DuplexStreaming,
            };
            var name = $"{service.FullName}/{method.Name}";
            if (!_entries.TryGetValue(method.Name, out var entry))
            {
                throw new InvalidOperationException($"The method table of {typeof(TService).Name} has no '{method.Name}' ({name}, {type}).");
            }

            if (entry.Type != type)
            {
                throw new InvalidOperationException(
                    $"The method table of {typeof(TService).Name} has '{method.Name}' as another kind of method; {name} is {type}.");
            }

            if (entry.Request != method.InputType.ClrType || entry.Response != method.OutputType.ClrType)
            {
                throw new InvalidOperationException($"The method table of {typeof(TService).Name} has '{method.Name}' from {entry.Request.Name} to " +
                    $"{entry.Response.Name}; {name} takes {method.InputType.ClrType.Name} and returns {method.OutputType.ClrType.Name}.");
            }

            entry.Bind(context, method);
        }
    }

    /// <summary>The method names in the table.</summary>
    public IEnumerator<string> GetEnumerator() => _entries.Keys.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void AddEntry<TRequest, TResponse>(string method, MethodType type, Delegate invoker,
        Action<ServiceMethodProviderContext<TService>, Method<TRequest, TResponse>> add)
        where TRequest : class, IMessage<TRequest>, IBufferMessage where TResponse : class, IMessage<TResponse>, IBufferMessage
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(invoker);
        var entry = new Entry(type, typeof(TRequest), typeof(TResponse), (context, descriptor) => add(context, new Method<TRequest, TResponse>(
            type, service.FullName, descriptor.Name,
            ProtobufMarshallers.Create((MessageParser<TRequest>)descriptor.InputType.Parser),
            ProtobufMarshallers.Create((MessageParser<TResponse>)descriptor.OutputType.Parser))));
        if (!_entries.TryAdd(method, entry))
        {
            throw new ArgumentException($"The method table of {typeof(TService).Name} already has '{method}'.", nameof(method));
        }
    }

    // One method: its kind and message types, to check against the descriptor, and how to add it.
    private sealed record Entry(MethodType Type, Type Request, Type Response, Action<ServiceMethodProviderContext<TService>, MethodDescriptor> Bind);
}
