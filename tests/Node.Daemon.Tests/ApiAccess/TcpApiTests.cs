using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.ApiAccess;

/// <summary>
/// API keys and the TCP listener against a running node (the JIT build and the AOT binary): keys
/// are made over the Unix socket with the generated client, then used over TCP on 127.0.0.1.
/// </summary>
public sealed class TcpApiTests(TcpDaemons daemons) : IClassFixture<TcpDaemons>
{
    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Metadata Bearer(string secret) => new() { { "authorization", "Bearer " + secret } };

    private static async Task<CreatedApiKey> CreateKeyAsync(TcpDaemon node, ApiScope scope, string name)
    {
        using var channel = node.OverSocket();
        var created = await new ApiKeyService.ApiKeyServiceClient(channel).CreateAsync(new CreateApiKeyRequest { Scope = scope, Name = name }, cancellationToken: Token);
        node.Secrets.Add(created.Secret);
        return created;
    }

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Over_the_socket_keys_are_made_listed_and_revoked_with_no_key_at_all(string kind)
    {
        var node = await daemons.GetAsync(kind);
        using var channel = node.OverSocket();
        var keys = new ApiKeyService.ApiKeyServiceClient(channel);

        var created = await CreateKeyAsync(node, ApiScope.Write, "socket test");
        var listed = await keys.ListAsync(new ListApiKeysRequest(), cancellationToken: Token);
        var revoked = await keys.RevokeAsync(new RevokeApiKeyRequest { Id = created.Key.Id }, cancellationToken: Token);
        var again = await keys.RevokeAsync(new RevokeApiKeyRequest { Id = created.Key.Id }, cancellationToken: Token);

        SecretAssert.HasForm(created.Secret, created.Key.Id);
        Assert.Equal((ApiScope.Write, "socket test", 0L), (created.Key.Scope, created.Key.Name, created.Key.RevokedAt));
        Assert.True(created.Key.CreatedAt > 0);
        Assert.Contains(listed.Keys, k => k.Id == created.Key.Id && k.RevokedAt == 0);
        Assert.True(revoked.RevokedAt >= created.Key.CreatedAt);
        Assert.Equal(revoked, again);
        SecretAssert.NotIn(created.Secret, listed.ToString(), "the list");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Bad_requests_name_the_field_and_an_unknown_key_is_not_found(string kind)
    {
        var node = await daemons.GetAsync(kind);
        using var channel = node.OverSocket();
        var keys = new ApiKeyService.ApiKeyServiceClient(channel);

        var unspecified = await RefusedAsync(() => keys.CreateAsync(new CreateApiKeyRequest { Name = "no scope" }, cancellationToken: Token).ResponseAsync);
        var longName = await RefusedAsync(() => keys.CreateAsync(new CreateApiKeyRequest { Scope = ApiScope.Read, Name = new string('n', 65) }, cancellationToken: Token).ResponseAsync);
        var control = await RefusedAsync(() => keys.CreateAsync(new CreateApiKeyRequest { Scope = ApiScope.Read, Name = "line\nbreak" }, cancellationToken: Token).ResponseAsync);
        var unknown = await RefusedAsync(() => keys.RevokeAsync(new RevokeApiKeyRequest { Id = "kzzzzzzzzzz" }, cancellationToken: Token).ResponseAsync);
        var pastedSecret = await RefusedAsync(() => keys.RevokeAsync(new RevokeApiKeyRequest { Id = "snk_kzzzzzzzzzz_" + new string('A', 43) }, cancellationToken: Token).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, unspecified.StatusCode);
        Assert.StartsWith("scope: ", unspecified.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("API_SCOPE_UNSPECIFIED is refused", unspecified.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, longName.StatusCode);
        Assert.Equal("name: must be at most 64 characters; was 65.", longName.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, control.StatusCode);
        Assert.Equal("name: must not hold control characters; character 5 is U+000A.", control.Status.Detail);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("API key kzzzzzzzzzz not found.", unknown.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, pastedSecret.StatusCode);
        Assert.DoesNotContain("AAAAAAAAAA", pastedSecret.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_tcp_call_without_a_key_is_unauthenticated(string kind)
    {
        var node = await daemons.GetAsync(kind);
        using var channel = node.OverTcp();

        var refused = await RefusedAsync(() => new NodeService.NodeServiceClient(channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Token).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("without an API key", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_read_key_reads_the_status_but_may_not_create_keys(string kind)
    {
        var node = await daemons.GetAsync(kind);
        var reader = await CreateKeyAsync(node, ApiScope.Read, "reader");
        using var channel = node.OverTcp();

        var status = await new NodeService.NodeServiceClient(channel).GetStatusAsync(new GetStatusRequest(), Bearer(reader.Secret), cancellationToken: Token);
        var create = await RefusedAsync(() => new ApiKeyService.ApiKeyServiceClient(channel)
            .CreateAsync(new CreateApiKeyRequest { Scope = ApiScope.Admin }, Bearer(reader.Secret), cancellationToken: Token).ResponseAsync);

        Assert.Equal("tcp-test", status.Name);
        Assert.Equal(node.Process.Id, status.Pid);
        Assert.Equal(StatusCode.PermissionDenied, create.StatusCode);
        Assert.Equal($"sovereign.api.v1.ApiKeyService/Create needs the 'admin' scope; this key ({reader.Key.Id}) has 'read'.", create.Status.Detail);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_admin_key_may_make_keys_over_tcp_and_they_work(string kind)
    {
        var node = await daemons.GetAsync(kind);
        var admin = await CreateKeyAsync(node, ApiScope.Admin, "admin");
        using var channel = node.OverTcp();

        var made = await new ApiKeyService.ApiKeyServiceClient(channel)
            .CreateAsync(new CreateApiKeyRequest { Scope = ApiScope.Read, Name = "made over tcp" }, Bearer(admin.Secret), cancellationToken: Token);
        node.Secrets.Add(made.Secret);
        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), Bearer(made.Secret), cancellationToken: Token);

        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_revoked_key_is_refused_on_its_very_next_call(string kind)
    {
        var node = await daemons.GetAsync(kind);
        var key = await CreateKeyAsync(node, ApiScope.Read, "soon revoked");
        using var tcp = node.OverTcp();
        using var socket = node.OverSocket();
        var status = new NodeService.NodeServiceClient(tcp);
        await status.GetStatusAsync(new GetStatusRequest(), Bearer(key.Secret), cancellationToken: Token);

        await new ApiKeyService.ApiKeyServiceClient(socket).RevokeAsync(new RevokeApiKeyRequest { Id = key.Key.Id }, cancellationToken: Token);
        var refused = await RefusedAsync(() => status.GetStatusAsync(new GetStatusRequest(), Bearer(key.Secret), cancellationToken: Token).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.StartsWith($"API key {key.Key.Id} was revoked at ", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_burst_over_the_limit_is_partly_refused_as_resource_exhausted_and_otherwise_served(string kind)
    {
        var node = await daemons.GetAsync(kind);
        var key = await CreateKeyAsync(node, ApiScope.Read, "bursty");
        using var channel = node.OverTcp();
        var client = new NodeService.NodeServiceClient(channel);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 60).Select(async _ =>
        {
            try
            {
                await client.GetStatusAsync(new GetStatusRequest(), Bearer(key.Secret), cancellationToken: Token);
                return (Code: StatusCode.OK, Detail: "");
            }
            catch (RpcException ex)
            {
                return (Code: ex.StatusCode, Detail: ex.Status.Detail);
            }
        }));

        Assert.All(outcomes, o => Assert.True(o.Code is StatusCode.OK or StatusCode.ResourceExhausted, $"{o.Code}: {o.Detail}"));
        Assert.True(outcomes.Count(o => o.Code == StatusCode.OK) >= TcpDaemons.Burst);
        var exhausted = outcomes.Where(o => o.Code == StatusCode.ResourceExhausted).ToList();
        Assert.NotEmpty(exhausted);
        Assert.Equal($"API key {key.Key.Id} is over its rate limit of 1 calls per second (bursts of 5); slow down and retry.", exhausted[0].Detail);
        var log = await LogFiles.WaitForAsync(node.LogDirectory, "node-*.log", $"API key {key.Key.Id} is over its rate limit");
        var lines = log.Split('\n').Where(line => line.Contains($"{key.Key.Id} is over its rate limit", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"One line for {exhausted.Count} refusals, not:\n{string.Join("\n", lines)}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_listener_is_on_127_0_0_1_and_nowhere_else(string kind)
    {
        var node = await daemons.GetAsync(kind);

        var onThePort = ListeningSockets.Of(node.Process.Id).Where(e => e.Port == node.Port).ToList();
        using var elsewhere = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var other = await Assert.ThrowsAsync<SocketException>(() => elsewhere.ConnectAsync(IPAddress.Parse("127.0.0.2"), node.Port, Token).AsTask());

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, node.Port)], onThePort);
        Assert.Equal(SocketError.ConnectionRefused, other.SocketErrorCode);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task No_secret_ever_reaches_a_log_file_or_the_console(string kind)
    {
        var node = await daemons.GetAsync(kind);
        var key = await CreateKeyAsync(node, ApiScope.Read, "for the logs");
        var forged = key.Secret[..^3] + (key.Secret[^3..] == "AAA" ? "BBB" : "AAA");
        node.Secrets.Add(forged);
        using var tcp = node.OverTcp();
        using var socket = node.OverSocket();
        var status = new NodeService.NodeServiceClient(tcp);
        await status.GetStatusAsync(new GetStatusRequest(), Bearer(key.Secret), cancellationToken: Token);
        await RefusedAsync(() => status.GetStatusAsync(new GetStatusRequest(), Bearer(forged), cancellationToken: Token).ResponseAsync);
        await RefusedAsync(() => status.GetStatusAsync(new GetStatusRequest(), Bearer(key.Secret[..^1]), cancellationToken: Token).ResponseAsync);
        await new ApiKeyService.ApiKeyServiceClient(socket).RevokeAsync(new RevokeApiKeyRequest { Id = key.Key.Id }, cancellationToken: Token);
        await RefusedAsync(() => status.GetStatusAsync(new GetStatusRequest(), Bearer(key.Secret), cancellationToken: Token).ResponseAsync);
        await LogFiles.WaitForAsync(node.LogDirectory, "node-*.log", $"API key {key.Key.Id} revoked");

        var logs = node.AllLogs();
        var console = node.Process.StandardOutput + node.Process.StandardError;

        Assert.Contains($"API key {key.Key.Id} created with scope read", logs, StringComparison.Ordinal);
        // Not Assert.All: its failure message would show the secret it failed on.
        foreach (var secret in node.Secrets)
        {
            SecretAssert.NotIn(secret, logs, "the log files");
            SecretAssert.NotIn(secret, console, "the console output");
        }
    }
}
