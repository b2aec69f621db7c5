using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>Server reflection over the real socket: what grpcurl and other generic clients see.</summary>
public sealed class ReflectionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<ServerReflectionResponse> AskAsync(ApiNode node, ServerReflectionRequest request)
    {
        using var call = new ServerReflection.ServerReflectionClient(node.Channel).ServerReflectionInfo(cancellationToken: Token);
        await call.RequestStream.WriteAsync(request, Token);
        await call.RequestStream.CompleteAsync();
        var answers = await call.ResponseStream.ReadAllAsync(Token).ToListAsync(Token);
        return Assert.Single(answers);
    }

    [Fact]
    public async Task Every_api_service_and_health_are_listed()
    {
        await using var node = await ApiNode.StartAsync();

        var answer = await AskAsync(node, new ServerReflectionRequest { ListServices = "" });

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.ListServicesResponse, answer.MessageResponseCase);
        var listed = answer.ListServicesResponse.Service.Select(s => s.Name).ToHashSet();
        string[] expected =
        [
            "sovereign.api.v1.NodeService", "sovereign.api.v1.KnowledgeService", "sovereign.api.v1.PeerService",
            "sovereign.api.v1.DecisionService", "sovereign.api.v1.LogService", "sovereign.api.v1.BackupService",
            "sovereign.api.v1.ApiKeyService", "grpc.health.v1.Health",
        ];
        Assert.Superset(expected.ToHashSet(), listed);
        // Every service api.proto declares is listed, so a service added there cannot be forgotten here.
        Assert.Superset(Node.Protocol.Api.ApiReflection.Descriptor.Services.Select(s => s.FullName).ToHashSet(), listed);
    }

    [Fact]
    public async Task The_descriptor_of_api_proto_comes_with_its_dependency_packet_proto()
    {
        await using var node = await ApiNode.StartAsync();

        var bySymbol = await AskAsync(node, new ServerReflectionRequest { FileContainingSymbol = "sovereign.api.v1.KnowledgeService" });
        var byName = await AskAsync(node, new ServerReflectionRequest { FileByFilename = "packet.proto" });

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, bySymbol.MessageResponseCase);
        var files = bySymbol.FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b)).ToDictionary(f => f.Name);
        var api = files["api.proto"];
        Assert.Equal("sovereign.api.v1", api.Package);
        Assert.Contains("packet.proto", api.Dependency);
        Assert.Contains(api.Service, s => s.Name == "KnowledgeService" && s.Method.Any(m => m.Name == "Watch" && m.ServerStreaming));
        Assert.Equal("sovereign.packet.v1", files["packet.proto"].Package);
        // The descriptors are complete enough to build: every type api.proto names resolves.
        var built = FileDescriptor.BuildFromByteStrings([files["packet.proto"].ToByteString(), api.ToByteString()]);
        Assert.NotNull(built[1].FindTypeByName<MessageDescriptor>("PutKnowledgeRequest").FindFieldByName("kind").EnumType);

        var packet = FileDescriptorProto.Parser.ParseFrom(Assert.Single(byName.FileDescriptorResponse.FileDescriptorProto));
        Assert.Equal("packet.proto", packet.Name);
    }
}
