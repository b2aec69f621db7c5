using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Api.Access;
using Node.Daemon.Tests.Support;
using Node.Federation.Diagnostics;
using Node.Protocol.Api;
using Node.Storage;

namespace Node.Daemon.Tests.ApiAccess;

/// <summary>The access interceptor (and so its gate) called directly, with a real key registry and a fake clock.</summary>
public sealed class ApiAccessInterceptorTests : IAsyncLifetime
{
    private const string GetStatus = "/sovereign.api.v1.NodeService/GetStatus";
    private const string CreateKey = "/sovereign.api.v1.ApiKeyService/Create";
    private const string PutKnowledge = "/sovereign.api.v1.KnowledgeService/Put";

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<ApiAccessGate> _log = new();
    private readonly FakeLogger<RefusalLog> _refusalLog = new();
    private readonly NodeStore _store;
    private readonly ApiKeyRegistry _keys;
    private readonly ApiKeyRateLimiter _limiter;
    private readonly RefusalLog _refusals;
    private readonly ApiRefusals _counts = new();
    private readonly ApiAccessInterceptor _interceptor;

    public ApiAccessInterceptorTests()
    {
        _store = NodeStore.Open(_dir.Path, new StoreOptions(), _time, NullLogger<NodeStore>.Instance);
        _keys = new ApiKeyRegistry(_store, NullLogger<ApiKeyRegistry>.Instance);
        _limiter = new ApiKeyRateLimiter(Options.Create(new ApiRateLimitOptions { PermitsPerSecond = 1, Burst = 2 }), _time);
        _refusals = new RefusalLog(_time, _refusalLog, "TCP API calls");
        _interceptor = new ApiAccessInterceptor(new ApiAccessGate(_keys, _limiter, _refusals, _counts, _log));
    }

    public async ValueTask InitializeAsync()
    {
        await _keys.StartAsync(TestContext.Current.CancellationToken);
    }

    private async Task<(ApiKeyRecord Key, string Secret)> KeyAsync(ApiScope scope) =>
        await _keys.CreateAsync(scope, $"{scope} key", "socket", TestContext.Current.CancellationToken);

    private RpcException Refused(TestCallContext context) => Assert.Throws<RpcException>(() => _interceptor.Admit(context));

    [Fact]
    public void A_call_over_the_unix_socket_is_an_admin_one_without_a_key_and_without_a_limit()
    {
        for (var i = 0; i < 100; i++)
        {
            var context = TestCallContext.OverSocket(CreateKey);
            _interceptor.Admit(context);
            Assert.Same(ApiCaller.Socket, ApiCaller.Of(context));
        }

        Assert.Equal(ApiScope.Admin, ApiCaller.Socket.Scope);
    }

    [Fact]
    public void A_tcp_call_without_a_key_is_unauthenticated_and_told_how_to_send_one()
    {
        var refused = Refused(TestCallContext.OverTcp(GetStatus));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("'authorization: Bearer <secret>'", refused.Status.Detail, StringComparison.Ordinal);
        var line = Assert.Single(_log.Collector.GetSnapshot());
        Assert.Equal("Refused TCP API call /sovereign.api.v1.NodeService/GetStatus from 127.0.0.1:50123: no API key. " +
            "Further refusals like it are counted once a minute.", line.Message);
    }

    [Fact]
    public void A_connection_that_was_not_marked_is_treated_as_tcp()
    {
        var context = TestCallContext.OverSocket(GetStatus);
        context.Http.Features.Set<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>(null);

        Assert.Equal(StatusCode.Unauthenticated, Refused(context).StatusCode);
    }

    [Fact]
    public async Task Malformed_and_unknown_keys_are_unauthenticated_and_the_secret_never_comes_back()
    {
        var (key, secret) = await KeyAsync(ApiScope.Read);
        var forged = ApiKeySecrets.NewSecret(key.Id);

        var notBearer = Refused(TestCallContext.OverTcp(GetStatus, "Basic " + secret));
        var truncated = Refused(TestCallContext.OverTcp(GetStatus, "Bearer " + secret[..^1]));
        var wrongSecret = Refused(TestCallContext.OverTcp(GetStatus, "Bearer " + forged));

        Assert.All([notBearer, truncated, wrongSecret], e => Assert.Equal(StatusCode.Unauthenticated, e.StatusCode));
        Assert.Equal("The authorization header is not of the form 'Bearer <secret>'.", notBearer.Status.Detail);
        Assert.StartsWith("The API key is malformed", truncated.Status.Detail, StringComparison.Ordinal);
        Assert.Equal($"API key {key.Id} is not known to this node, or the secret does not match it.", wrongSecret.Status.Detail);
        var everything = string.Join("\n", [.. new[] { notBearer, truncated, wrongSecret }.Select(e => e.Status.Detail),
            .. _log.Collector.GetSnapshot().Select(r => r.Message)]);
        SecretAssert.NotIn(secret, everything, "an error or the log");
        SecretAssert.NotIn(forged, everything, "an error or the log");
    }

    [Fact]
    public async Task A_read_key_may_read_but_not_write_or_administer()
    {
        var (key, secret) = await KeyAsync(ApiScope.Read);
        var read = TestCallContext.OverTcp(GetStatus, "Bearer " + secret);

        _interceptor.Admit(read);
        var write = Refused(TestCallContext.OverTcp(PutKnowledge, "bearer " + secret));

        Assert.Equal(key, ApiCaller.Of(read)!.Key);
        Assert.Equal(ApiTransport.Tcp, ApiCaller.Of(read)!.Transport);
        Assert.Equal(StatusCode.PermissionDenied, write.StatusCode);
        Assert.Equal($"sovereign.api.v1.KnowledgeService/Put needs the 'write' scope; this key ({key.Id}) has 'read'.", write.Status.Detail);
    }

    [Fact]
    public async Task A_write_key_may_write_but_not_administer_and_an_admin_key_may_do_all()
    {
        var (_, writer) = await KeyAsync(ApiScope.Write);
        var (_, admin) = await KeyAsync(ApiScope.Admin);

        _interceptor.Admit(TestCallContext.OverTcp(PutKnowledge, "Bearer " + writer));
        var create = Refused(TestCallContext.OverTcp(CreateKey, "Bearer " + writer));
        _interceptor.Admit(TestCallContext.OverTcp(CreateKey, "Bearer " + admin));

        Assert.Equal(StatusCode.PermissionDenied, create.StatusCode);
        Assert.Contains("needs the 'admin' scope", create.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_its_next_call()
    {
        var (key, secret) = await KeyAsync(ApiScope.Admin);
        _interceptor.Admit(TestCallContext.OverTcp(GetStatus, "Bearer " + secret));

        await _keys.RevokeAsync(key.Id, "socket", TestContext.Current.CancellationToken);
        var refused = Refused(TestCallContext.OverTcp(GetStatus, "Bearer " + secret));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal($"API key {key.Id} was revoked at 2026-11-24 12:00:00 UTC; ask an operator for a new one.", refused.Status.Detail);
    }

    [Fact]
    public async Task Calls_over_the_limit_are_resource_exhausted_until_the_bucket_refills()
    {
        var (key, secret) = await KeyAsync(ApiScope.Read);
        TestCallContext Call() => TestCallContext.OverTcp(GetStatus, "Bearer " + secret);
        _interceptor.Admit(Call());
        _interceptor.Admit(Call());

        var refused = Enumerable.Range(0, 50).Select(_ => Refused(Call())).ToList();
        _time.Advance(TimeSpan.FromSeconds(1));
        _interceptor.Admit(Call());

        Assert.All(refused, e => Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode));
        Assert.Equal($"API key {key.Id} is over its rate limit of 1 calls per second (bursts of 2); slow down and retry.", refused[0].Status.Detail);
        Assert.Single(_log.Collector.GetSnapshot(), r => r.Message.Contains("over its rate limit", StringComparison.Ordinal));
        _time.Advance(RefusalLog.Window);
        Assert.Equal($"49 more TCP API calls refused in the last minute: over the rate limit, API key {key.Id}.",
            Assert.Single(_refusalLog.Collector.GetSnapshot()).Message);
    }

    [Fact]
    public async Task The_scope_is_checked_after_the_limit_so_refused_calls_count_too()
    {
        var (_, secret) = await KeyAsync(ApiScope.Read);
        Refused(TestCallContext.OverTcp(CreateKey, "Bearer " + secret));
        Refused(TestCallContext.OverTcp(CreateKey, "Bearer " + secret));

        Assert.Equal(StatusCode.ResourceExhausted, Refused(TestCallContext.OverTcp(GetStatus, "Bearer " + secret)).StatusCode);
    }

    [Fact]
    public async Task Every_refusal_is_counted_by_its_reason()
    {
        var (_, secret) = await KeyAsync(ApiScope.Read);
        Refused(TestCallContext.OverTcp(GetStatus));
        Refused(TestCallContext.OverTcp(GetStatus, "Bearer snk_short"));
        Refused(TestCallContext.OverTcp(CreateKey, "Bearer " + secret));
        Refused(TestCallContext.OverTcp(CreateKey, "Bearer " + secret));
        Refused(TestCallContext.OverTcp(GetStatus, "Bearer " + secret));

        Assert.Equal((2L, 1L, 2L, 0L), (_counts[ApiRefusal.NoValidKey], _counts[ApiRefusal.OverRateLimit], _counts[ApiRefusal.OutOfScope], _counts[ApiRefusal.Undecodable]));
        Assert.Equal("refused 2 without a valid API key, 1 over a rate limit, 2 out of scope; 0 requests that did not decode", _counts.Describe());
    }

    [Fact]
    public void A_method_the_node_does_not_have_is_not_written_into_the_log_as_the_caller_spelled_it()
    {
        var refused = Refused(TestCallContext.OverTcp("/made.Up/Method\n[ERR] forged line"));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("Refused TCP API call (a method the node does not have) from 127.0.0.1:50123: no API key. " +
            "Further refusals like it are counted once a minute.", Assert.Single(_log.Collector.GetSnapshot()).Message);
    }

    [Fact]
    public void A_call_the_middleware_admitted_is_not_put_to_the_gate_again()
    {
        var context = TestCallContext.OverTcp(GetStatus);
        var caller = new ApiCaller(ApiTransport.Tcp, null);
        caller.AttachTo(context);

        _interceptor.Admit(context);

        Assert.Same(caller, ApiCaller.Of(context));
        Assert.Equal(0, _log.Collector.Count);
    }

    public async ValueTask DisposeAsync()
    {
        _refusals.Dispose();
        _limiter.Dispose();
        await _store.DisposeAsync();
        _dir.Dispose();
    }
}
