using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>ApiKeyService over a list.</summary>
public sealed class FakeApiKeyService : ApiKeyService.ApiKeyServiceBase
{
    public const string Secret = "snk_2kq9X7c1v0Yw3ZpR8sLmTn4uB6eHfJgA";

    private readonly Lock _lock = new();

    public List<ApiKey> Keys { get; } =
    [
        new ApiKey { Id = "key-1", Scope = ApiScope.Read, Name = "grafana", CreatedAt = FakeKnowledgeService.Epoch },
    ];

    public Recorder<CreateApiKeyRequest> Creates { get; } = new();
    public Recorder<RevokeApiKeyRequest> Revokes { get; } = new();

    public override Task<CreatedApiKey> Create(CreateApiKeyRequest request, ServerCallContext context)
    {
        Creates.Add(request);
        lock (_lock)
        {
            var key = new ApiKey { Id = $"key-{Keys.Count + 1}", Scope = request.Scope, Name = request.Name, CreatedAt = FakeKnowledgeService.Epoch + 5000 };
            Keys.Add(key);
            return Task.FromResult(new CreatedApiKey { Key = key, Secret = Secret });
        }
    }

    public override Task<ListApiKeysReply> List(ListApiKeysRequest request, ServerCallContext context)
    {
        lock (_lock)
        {
            return Task.FromResult(new ListApiKeysReply { Keys = { Keys } });
        }
    }

    public override Task<ApiKey> Revoke(RevokeApiKeyRequest request, ServerCallContext context)
    {
        Revokes.Add(request);
        lock (_lock)
        {
            var key = Keys.FirstOrDefault(k => k.Id == request.Id) ?? throw new RpcException(new Status(StatusCode.NotFound, $"no api key {request.Id}"));
            if (key.RevokedAt == 0)
            {
                key.RevokedAt = FakeKnowledgeService.Epoch + 7000;
            }

            return Task.FromResult(key);
        }
    }
}
