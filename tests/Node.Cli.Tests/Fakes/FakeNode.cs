using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Node.Cli.Tests.Support;

namespace Node.Cli.Tests.Fakes;

/// <summary>
/// A node that is not one: Kestrel serving the API's generated service bases over HTTP/2 on a
/// Unix socket in a temporary directory, each service keeping its state in memory and recording
/// the requests it got. Tests drive nodectl at <see cref="Socket"/> and look at both sides.
/// </summary>
public sealed class FakeNode : IAsyncDisposable
{
    public const string NodeId = "GCQTISU-7IS2N6A-I53CUUT-ID6BZEG";

    /// <summary>The id a rotation moves to.</summary>
    public const string NewNodeId = "JQ5XKPL-2MRD4AW-FZ7YBNE-Q3HCV6T";

    private readonly TempDirectory _directory = new();
    private readonly Refusal _refusal = new();
    private readonly WebApplication _app;

    private FakeNode()
    {
        Socket = _directory.Combine("api.sock");
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = _directory.Path });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(Socket, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<RefusingInterceptor>());
        // Registered as instances, so every call reaches the state the test looks at.
        builder.Services.AddSingleton(_refusal);
        builder.Services.AddSingleton(Node);
        builder.Services.AddSingleton(Knowledge);
        builder.Services.AddSingleton(Peers);
        builder.Services.AddSingleton(Federation);
        builder.Services.AddSingleton(Decisions);
        builder.Services.AddSingleton(Log);
        builder.Services.AddSingleton(Backup);
        builder.Services.AddSingleton(Store);
        builder.Services.AddSingleton(ApiKeys);
        builder.Services.AddSingleton(Reasoning);
        builder.Services.AddSingleton(Dashboard);
        _app = builder.Build();
        _app.MapGrpcService<FakeNodeService>();
        _app.MapGrpcService<FakeKnowledgeService>();
        _app.MapGrpcService<FakePeerService>();
        _app.MapGrpcService<FakeFederationService>();
        _app.MapGrpcService<FakeDecisionService>();
        _app.MapGrpcService<FakeLogService>();
        _app.MapGrpcService<FakeBackupService>();
        _app.MapGrpcService<FakeStoreService>();
        _app.MapGrpcService<FakeApiKeyService>();
        _app.MapGrpcService<FakeReasoningService>();
        _app.MapGrpcService<FakeDashboardService>();
    }

    public string Socket { get; }

    public FakeNodeService Node { get; } = new();
    public FakeKnowledgeService Knowledge { get; } = new();
    public FakePeerService Peers { get; } = new();
    public FakeFederationService Federation { get; } = new();
    public FakeDecisionService Decisions { get; } = new();
    public FakeLogService Log { get; } = new();
    public FakeBackupService Backup { get; } = new();
    public FakeStoreService Store { get; } = new();
    public FakeApiKeyService ApiKeys { get; } = new();
    public FakeReasoningService Reasoning { get; } = new();
    public FakeDashboardService Dashboard { get; } = new();

    /// <summary>When set, every call is refused with this status (a node that says no).</summary>
    public Status? Refusal
    {
        get => _refusal.Status;
        set => _refusal.Status = value;
    }

    public static async Task<FakeNode> StartAsync()
    {
        var node = new FakeNode();
        await node._app.StartAsync(TestContext.Current.CancellationToken);
        return node;
    }

    /// <summary>Runs nodectl against this node (<c>--socket</c> added).</summary>
    public Task<CliRun> Run(params string[] args) => new CliRunner().RunAsync([.. args, "--socket", Socket]);

    /// <summary>Runs nodectl, set up as <paramref name="cli"/> says, against this node.</summary>
    public Task<CliRun> Run(CliRunner cli, params string[] args) => cli.RunAsync([.. args, "--socket", Socket]);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }
}
