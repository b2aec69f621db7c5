using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.ApiAccess;

/// <summary>
/// What a hostile local user can make the node write: calls over TCP without a valid key, with
/// bodies that do not decode, by the hundred. A node of its own (not shared with
/// <see cref="TcpApiTests"/>), so every line in its logs after start is the flood's.
/// </summary>
public sealed class TcpFloodTests(TcpDaemons daemons) : IClassFixture<TcpDaemons>
{
    private const int CallsPerKind = 100;

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);
    private static readonly Method<byte[], byte[]> Put = new(MethodType.Unary, "sovereign.api.v1.KnowledgeService", "Put", Raw, Raw);
    private static readonly byte[] Garbage = [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]; // a field longer than the message

    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<(StatusCode Code, string Detail)> PutGarbageAsync(CallInvoker invoker, Metadata? headers)
    {
        try
        {
            await invoker.AsyncUnaryCall(Put, null, new CallOptions(headers, cancellationToken: Token), Garbage).ResponseAsync;
            return (StatusCode.OK, "");
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, ex.Status.Detail);
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Unauthenticated_calls_with_bodies_that_do_not_decode_are_refused_unread_in_a_few_lines_and_none_at_error_level(string kind)
    {
        var node = await daemons.GetAsync(kind);
        var writer = await CreateKeyAsync(node, ApiScope.Write);
        var madeUp = "snk_kzzzzzzzzzz_" + new string('A', 43);
        node.Secrets.Add(madeUp);
        var before = Lines(LogFiles.Read(node.LogDirectory, "node-*.log")).Length;
        using var channel = node.OverTcp();
        var invoker = channel.CreateCallInvoker();

        var refused = new List<(StatusCode Code, string Detail)>();
        foreach (var authorization in new[] { null, "Basic dXNlcjpwYXNz", "Bearer snk_short", "Bearer " + madeUp })
        {
            for (var i = 0; i < CallsPerKind; i++)
            {
                refused.Add(await PutGarbageAsync(invoker, authorization is null ? null : new Metadata { { "authorization", authorization } }));
            }
        }

        var admitted = await PutGarbageAsync(invoker, new Metadata { { "authorization", "Bearer " + writer } });
        using var socket = node.OverSocket();
        var status = await new NodeService.NodeServiceClient(socket).GetStatusAsync(new GetStatusRequest(), cancellationToken: Token);

        var logs = LogFiles.Read(node.LogDirectory, "node-*.log");
        var written = Lines(logs)[before..];
        Assert.Equal("", LogFiles.Read(node.LogDirectory, "errors-*.log"));
        Assert.DoesNotContain(written, line => line.Contains("[ERR]", StringComparison.Ordinal) || line.StartsWith("   at ", StringComparison.Ordinal));
        Assert.True(written.Length <= 10, $"{refused.Count + 1} bad calls wrote {written.Length} lines:\n{string.Join("\n", written)}");
        Assert.All(refused, r => Assert.Equal(StatusCode.Unauthenticated, r.Code));
        Assert.Equal(StatusCode.InvalidArgument, admitted.Code);
        Assert.StartsWith("request: does not decode as the method's request message: ", admitted.Detail, StringComparison.Ordinal);
        var api = Assert.Single(status.Subsystems, s => s.Name == "api");
        Assert.Contains($"refused {4 * CallsPerKind} without a valid API key", api.Detail, StringComparison.Ordinal);
        Assert.Contains("1 request that did not decode", api.Detail, StringComparison.Ordinal);
        foreach (var secret in node.Secrets)
        {
            SecretAssert.NotIn(secret, logs, "the node log");
        }
    }

    private static async Task<string> CreateKeyAsync(TcpDaemon node, ApiScope scope)
    {
        using var channel = node.OverSocket();
        var created = await new ApiKeyService.ApiKeyServiceClient(channel).CreateAsync(new CreateApiKeyRequest { Scope = scope, Name = "flood" }, cancellationToken: Token);
        node.Secrets.Add(created.Secret);
        return created.Secret;
    }
}
