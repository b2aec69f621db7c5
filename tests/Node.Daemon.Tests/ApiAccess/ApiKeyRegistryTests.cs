using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Api.Access;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Storage;
using Node.Storage.Events;

namespace Node.Daemon.Tests.ApiAccess;

/// <summary>The key registry over a real store in a temp folder.</summary>
public sealed class ApiKeyRegistryTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeLogger<ApiKeyRegistry> _log = new();
    private NodeStore? _store;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<ApiKeyRegistry> OpenAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _store = NodeStore.Open(_dir.Path, new StoreOptions(), _time, NullLogger<NodeStore>.Instance);
        var registry = new ApiKeyRegistry(_store, _log);
        await registry.StartAsync(Token);
        return registry;
    }

    private IReadOnlyList<EventEntry> Events()
    {
        using var reader = _store!.OpenReader();
        return reader.Events.Tail(100);
    }

    [Fact]
    public async Task A_created_key_is_valid_and_its_secret_is_nowhere_but_in_the_reply()
    {
        var keys = await OpenAsync();

        var (key, secret) = await keys.CreateAsync(ApiScope.Write, "ci bot", "socket", Token);

        Assert.Equal(ApiKeyOutcome.Valid, keys.Check(secret).Outcome);
        Assert.Equal(key, keys.Check(secret).Key);
        Assert.Equal((ApiScope.Write, "ci bot", Start.ToUnixTimeMilliseconds(), (long?)null), (key.Scope, key.Name, key.CreatedAt, key.RevokedAt));
        var created = Assert.Single(Events(), e => e.Kind == EventKinds.ApiKeyCreated);
        Assert.Equal($$"""{"id":"{{key.Id}}","scope":"write","name":"ci bot","by":"socket"}""", Encoding.UTF8.GetString(created.Payload));
        Assert.True(_store!.VerifyEventLog().IsIntact);
        await _store.DisposeAsync();
        foreach (var file in Directory.GetFiles(_dir.Path))
        {
            SecretAssert.NotIn(secret, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, Token)), Path.GetFileName(file));
        }

        SecretAssert.NotIn(secret, string.Join("\n", _log.Collector.GetSnapshot().Select(r => r.Message)), "the log");
        Assert.Contains(_log.Collector.GetSnapshot(), r => r.Message == $"API key {key.Id} created with scope write (name 'ci bot', by socket).");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_and_revoking_it_again_changes_nothing()
    {
        var keys = await OpenAsync();
        var (key, secret) = await keys.CreateAsync(ApiScope.Read, "", "socket", Token);
        _time.Advance(TimeSpan.FromMinutes(5));

        var revoked = await keys.RevokeAsync(key.Id, "kadmin23456", Token);
        _time.Advance(TimeSpan.FromMinutes(5));
        var again = await keys.RevokeAsync(key.Id, "socket", Token);

        Assert.Equal(ApiKeyOutcome.Revoked, keys.Check(secret).Outcome);
        Assert.Equal(Start.AddMinutes(5).ToUnixTimeMilliseconds(), revoked!.RevokedAt);
        Assert.Equal(revoked.ToMessage(), again!.ToMessage());
        var entry = Assert.Single(Events(), e => e.Kind == EventKinds.ApiKeyRevoked);
        Assert.Equal($$"""{"id":"{{key.Id}}","scope":"read","name":"","by":"kadmin23456"}""", Encoding.UTF8.GetString(entry.Payload));
    }

    [Fact]
    public async Task Revoking_an_unknown_key_finds_nothing_and_records_nothing()
    {
        var keys = await OpenAsync();
        var before = Events().Count;

        Assert.Null(await keys.RevokeAsync("kzzzzzzzzzz", "socket", Token));
        Assert.Equal(before, Events().Count);
    }

    [Fact]
    public async Task Keys_and_revocations_survive_a_restart()
    {
        var keys = await OpenAsync();
        var (kept, keptSecret) = await keys.CreateAsync(ApiScope.Admin, "kept", "socket", Token);
        var (gone, goneSecret) = await keys.CreateAsync(ApiScope.Read, "gone", "socket", Token);
        await keys.RevokeAsync(gone.Id, "socket", Token);

        var reopened = await OpenAsync();

        Assert.Equal(ApiKeyOutcome.Valid, reopened.Check(keptSecret).Outcome);
        Assert.Equal(ApiKeyOutcome.Revoked, reopened.Check(goneSecret).Outcome);
        Assert.Equal(new[] { kept.Id, gone.Id }.Order(StringComparer.Ordinal), reopened.List().Select(k => k.Id).Order(StringComparer.Ordinal));
        Assert.Contains(_log.Collector.GetSnapshot(), r => r.Message == "API keys loaded: 2, of which 1 valid.");
    }

    [Fact]
    public async Task A_wrong_secret_for_a_real_id_is_unknown_and_a_malformed_one_is_malformed()
    {
        var keys = await OpenAsync();
        var (key, secret) = await keys.CreateAsync(ApiScope.Read, "", "socket", Token);
        var forged = ApiKeySecrets.NewSecret(key.Id);

        Assert.Equal(new ApiKeyCheck(ApiKeyOutcome.Unknown, key.Id, null), keys.Check(forged));
        Assert.Equal(ApiKeyOutcome.Unknown, keys.Check(ApiKeySecrets.NewSecret(ApiKeySecrets.NewId())).Outcome);
        Assert.Equal(new ApiKeyCheck(ApiKeyOutcome.Malformed, null, null), keys.Check(secret[..^1]));
        Assert.Equal(ApiKeyOutcome.Malformed, keys.Check(null).Outcome);
    }

    [Fact]
    public async Task The_list_is_oldest_first_and_shows_revocations()
    {
        var keys = await OpenAsync();
        var (first, _) = await keys.CreateAsync(ApiScope.Read, "first", "socket", Token);
        _time.Advance(TimeSpan.FromSeconds(1));
        var (second, _) = await keys.CreateAsync(ApiScope.Write, "second", "socket", Token);
        await keys.RevokeAsync(first.Id, "socket", Token);

        var list = keys.List();

        Assert.Equal(["first", "second"], list.Select(k => k.Name));
        Assert.NotNull(list[0].RevokedAt);
        Assert.Null(list[1].RevokedAt);
        Assert.Equal(second.Id, list[1].Id);
    }

    [Fact]
    public async Task Event_payloads_escape_what_a_name_may_hold()
    {
        var keys = await OpenAsync();

        var (key, _) = await keys.CreateAsync(ApiScope.Read, "quote \" and \\ and ünïcode", "socket", Token);

        var payload = Encoding.UTF8.GetString(Assert.Single(Events(), e => e.Kind == EventKinds.ApiKeyCreated).Payload);
        using var json = JsonDocument.Parse(payload);
        Assert.Equal(key.Name, json.RootElement.GetProperty("name").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _dir.Dispose();
    }
}
