using Google.Protobuf.Reflection;
using Grpc.Core;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>Every rpc the node declares is served: none answers Unimplemented (its method tables are complete).</summary>
public sealed class EveryMethodTests
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    [Fact]
    public async Task Every_method_of_api_proto_health_and_reflection_is_served()
    {
        await using var node = await ApiNode.StartAsync();
        var invoker = node.Channel.CreateCallInvoker();
        ServiceDescriptor[] services =
        [
            .. Node.Protocol.Api.ApiReflection.Descriptor.Services,
            Grpc.Health.V1.Health.Descriptor,
            Grpc.Reflection.V1Alpha.ServerReflection.Descriptor,
        ];

        // An empty request each: refused, answered or timed out, but never unknown to the node.
        var calls = services.SelectMany(s => s.Methods).Select(async m => (m.FullName, Code: await CallAsync(invoker, m)));
        var codes = await Task.WhenAll(calls);

        Assert.Empty(codes.Where(c => c.Code == StatusCode.Unimplemented).Select(c => c.FullName));
        Assert.Equal(services.Sum(s => s.Methods.Count), codes.Length);
    }

    // On the wire every kind of call is a stream of requests and one of replies: one empty request,
    // the request side closed, every reply read, is a valid call of any kind.
    private static async Task<StatusCode> CallAsync(CallInvoker invoker, MethodDescriptor descriptor)
    {
        var method = new Method<byte[], byte[]>(MethodType.DuplexStreaming, descriptor.Service.FullName, descriptor.Name, Bytes, Bytes);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            using var call = invoker.AsyncDuplexStreamingCall(method, null, options);
            await call.RequestStream.WriteAsync([]);
            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
            {
            }

            return call.GetStatus().StatusCode;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }
}
