using Node.Cli.Tests.Fakes;
using Node.Protocol.Api;

namespace Node.Cli.Tests;

public sealed class ApiKeyCommandTests
{
    [Theory]
    [InlineData("read", ApiScope.Read)]
    [InlineData("write", ApiScope.Write)]
    [InlineData("admin", ApiScope.Admin)]
    public async Task Create_sends_the_scope_and_name_and_shows_the_secret_once_with_a_warning(string word, ApiScope scope)
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("apikey", "create", "--scope", word, "--name", "ci");

        Assert.Equal(0, run.Code);
        var sent = node.ApiKeys.Creates.Only();
        Assert.Equal((scope, "ci"), (sent.Scope, sent.Name));
        Assert.Equal(
            $"""
            api key key-2 created ({word}, ci)
            secret: {FakeApiKeyService.Secret}
            Keep the secret now: the node stores only its hash and cannot show it again.
            Send it on TCP calls as 'authorization: Bearer <secret>'.

            """, run.Output);
    }

    [Fact]
    public async Task Create_json_has_the_key_and_the_secret()
    {
        await using var node = await FakeNode.StartAsync();

        var json = (await node.Run("apikey", "create", "--scope", "write", "--json")).Json();

        Assert.Equal(FakeApiKeyService.Secret, json.GetProperty("secret").GetString());
        var key = json.GetProperty("key");
        Assert.Equal("key-2", key.GetProperty("id").GetString());
        Assert.Equal("write", key.GetProperty("scope").GetString());
        Assert.Equal("", key.GetProperty("name").GetString());
        Assert.Equal(FakeKnowledgeService.Epoch + 5000, key.GetProperty("createdAt").GetInt64());
        Assert.Equal(0, key.GetProperty("revokedAt").GetInt64());
    }

    [Fact]
    public async Task List_never_shows_a_secret()
    {
        await using var node = await FakeNode.StartAsync();
        node.ApiKeys.Keys.Add(new ApiKey { Id = "key-2", Scope = ApiScope.Admin, Name = "old", CreatedAt = FakeKnowledgeService.Epoch, RevokedAt = FakeKnowledgeService.Epoch + 3_600_000 });

        var text = await node.Run("apikey", "list");
        var json = (await node.Run("apikey", "list", "--json")).Json();

        Assert.Equal(
            """
            ID     SCOPE  NAME     CREATED               REVOKED
            key-1  read   grafana  2026-11-24 13:21:36Z  -
            key-2  admin  old      2026-11-24 13:21:36Z  2026-11-24 14:21:36Z

            """, text.Output);
        var keys = json.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["key-1", "key-2"], keys.Select(k => k.GetProperty("id").GetString()));
        Assert.Equal(FakeKnowledgeService.Epoch + 3_600_000, keys[1].GetProperty("revokedAt").GetInt64());
        Assert.All(keys, k => Assert.False(k.TryGetProperty("secret", out _)));
    }

    [Fact]
    public async Task Revoke_sends_the_id()
    {
        await using var node = await FakeNode.StartAsync();

        var text = await node.Run("apikey", "revoke", "key-1");
        var json = (await node.Run("apikey", "revoke", "key-1", "--json")).Json();

        Assert.Equal(["key-1", "key-1"], node.ApiKeys.Revokes.All.Select(r => r.Id));
        Assert.Equal("api key key-1 revoked at 2026-11-24 13:21:43Z\n", text.Output);
        Assert.Equal(FakeKnowledgeService.Epoch + 7000, json.GetProperty("revokedAt").GetInt64());
    }

    [Fact]
    public async Task Revoking_an_unknown_key_exits_1()
    {
        await using var node = await FakeNode.StartAsync();

        var run = await node.Run("apikey", "revoke", "key-9");

        Assert.Equal((NodeCtl.Error, "nodectl: no api key key-9\n"), (run.Code, run.Error));
    }
}
