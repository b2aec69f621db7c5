using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Node.Daemon.Tests.Support;

/// <summary>
/// A gRPC server call context over a <see cref="DefaultHttpContext"/> whose connection came in on
/// the end point a test gives, for calling an interceptor directly.
/// </summary>
public sealed class TestCallContext : ServerCallContext
{
    private readonly Dictionary<object, object> _userState = [];

    public TestCallContext(string method, EndPoint local, EndPoint? remote, Metadata? headers = null)
    {
        MethodCore = method;
        RequestHeadersCore = headers ?? [];
        Http = new DefaultHttpContext();
        // As Kestrel would with the node's connection middleware: the connection's items, marked.
        var items = new ConnectionItems();
        Node.Daemon.Api.Access.ApiConnections.MarkItems(items.Items, local);
        Http.Features.Set<IConnectionItemsFeature>(items);
        if (remote is IPEndPoint ip)
        {
            Http.Connection.RemoteIpAddress = ip.Address;
            Http.Connection.RemotePort = ip.Port;
        }

        // Where Grpc.AspNetCore's GetHttpContext() looks for it outside a real server.
        _userState["__HttpContext"] = Http;
    }

    public static TestCallContext OverTcp(string method, string? authorization = null) =>
        new(method, new IPEndPoint(IPAddress.Loopback, 8103), new IPEndPoint(IPAddress.Loopback, 50123),
            authorization is null ? null : new Metadata { { "authorization", authorization } });

    public static TestCallContext OverSocket(string method) =>
        new(method, new System.Net.Sockets.UnixDomainSocketEndPoint("/run/sovereign-node/api.sock"), null);

    public DefaultHttpContext Http { get; }

    protected override string MethodCore { get; }
    protected override string HostCore => "localhost";
    protected override string PeerCore => "test";
    protected override DateTime DeadlineCore => DateTime.MaxValue;
    protected override Metadata RequestHeadersCore { get; }
    protected override CancellationToken CancellationTokenCore => CancellationToken.None;
    protected override Metadata ResponseTrailersCore { get; } = [];
    protected override Status StatusCore { get; set; }
    protected override WriteOptions? WriteOptionsCore { get; set; }
    protected override AuthContext AuthContextCore { get; } = new(null, []);
    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;

    private sealed class ConnectionItems : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    }
}
