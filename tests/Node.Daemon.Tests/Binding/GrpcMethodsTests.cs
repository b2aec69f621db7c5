using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Node.Daemon.Binding;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.Binding;

/// <summary>A service's methods bound from its table, and every way a table can be wrong, caught when the endpoints are built.</summary>
public sealed class GrpcMethodsTests
{
    private sealed class Knowledge : KnowledgeService.KnowledgeServiceBase;

    private static GrpcMethods<Knowledge> FullTable() => new(KnowledgeService.Descriptor)
    {
        { nameof(Knowledge.Put), (Knowledge s, PutKnowledgeRequest r, ServerCallContext c) => s.Put(r, c) },
        { nameof(Knowledge.Get), (Knowledge s, GetKnowledgeRequest r, ServerCallContext c) => s.Get(r, c) },
        { nameof(Knowledge.List), (Knowledge s, ListKnowledgeRequest r, ServerCallContext c) => s.List(r, c) },
        { nameof(Knowledge.Watch), (Knowledge s, WatchKnowledgeRequest r, IServerStreamWriter<KnowledgePacket> w, ServerCallContext c) => s.Watch(r, w, c) },
        { nameof(Knowledge.Retract), (Knowledge s, RetractRequest r, ServerCallContext c) => s.Retract(r, c) },
        { nameof(Knowledge.ListQuarantine), (Knowledge s, ListQuarantineRequest r, ServerCallContext c) => s.ListQuarantine(r, c) },
        { nameof(Knowledge.Promote), (Knowledge s, QuarantineVerdict r, ServerCallContext c) => s.Promote(r, c) },
        { nameof(Knowledge.Reject), (Knowledge s, QuarantineVerdict r, ServerCallContext c) => s.Reject(r, c) },
    };

    private static IReadOnlyList<RouteEndpoint> Map(Action<IServiceCollection> register)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseKestrelCore(); // built, never started
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc();
        register(builder.Services);
        using var app = builder.Build();
        app.MapGrpcMethods<Knowledge>();
        return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()];
    }

    [Fact]
    public void Each_method_of_the_service_is_mapped_for_post_from_its_table()
    {
        var endpoints = Map(services => services.AddGrpcMethods(FullTable()));

        foreach (var method in new[] { "Put", "Get", "List", "Watch", "Retract", "ListQuarantine", "Promote", "Reject" })
        {
            var endpoint = Assert.Single(endpoints, e => e.RoutePattern.RawText == $"/sovereign.api.v1.KnowledgeService/{method}");
            Assert.Equal(["POST"], endpoint.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods);
        }
    }

    [Fact]
    public void A_method_missing_from_the_table_is_named()
    {
        var table = new GrpcMethods<Knowledge>(KnowledgeService.Descriptor)
        {
            { nameof(Knowledge.Put), (Knowledge s, PutKnowledgeRequest r, ServerCallContext c) => s.Put(r, c) },
        };

        var error = Assert.Throws<InvalidOperationException>(() => Map(services => services.AddGrpcMethods(table)));

        Assert.Equal("The method table of Knowledge has no 'Get' (sovereign.api.v1.KnowledgeService/Get, Unary).", error.Message);
    }

    [Fact]
    public void An_entry_of_the_wrong_kind_is_named()
    {
        var wrong = new GrpcMethods<Knowledge>(KnowledgeService.Descriptor)
        {
            { nameof(Knowledge.Put), (Knowledge s, PutKnowledgeRequest r, ServerCallContext c) => s.Put(r, c) },
            { nameof(Knowledge.Get), (Knowledge s, GetKnowledgeRequest r, ServerCallContext c) => s.Get(r, c) },
            { nameof(Knowledge.List), (Knowledge s, ListKnowledgeRequest r, ServerCallContext c) => s.List(r, c) },
            // Watch streams its replies; a unary entry cannot serve it.
            { nameof(Knowledge.Watch), (Knowledge s, WatchKnowledgeRequest r, ServerCallContext c) => Task.FromResult(new KnowledgePacket()) },
        };

        var error = Assert.Throws<InvalidOperationException>(() => Map(services => services.AddGrpcMethods(wrong)));

        Assert.Equal("The method table of Knowledge has 'Watch' as another kind of method; sovereign.api.v1.KnowledgeService/Watch is ServerStreaming.", error.Message);
    }

    [Fact]
    public void An_entry_that_names_no_method_of_the_service_is_refused()
    {
        var table = FullTable();
        table.Add("Erase", (Knowledge s, GetKnowledgeRequest r, ServerCallContext c) => s.Get(r, c));

        var error = Assert.Throws<InvalidOperationException>(() => Map(services => services.AddGrpcMethods(table)));

        Assert.Equal("The method table of Knowledge names 'Erase', which sovereign.api.v1.KnowledgeService does not have.", error.Message);
    }

    [Fact]
    public void An_entry_with_other_message_types_is_named()
    {
        var wrong = new GrpcMethods<Knowledge>(KnowledgeService.Descriptor)
        {
            { nameof(Knowledge.Put), (Knowledge s, PutKnowledgeRequest r, ServerCallContext c) => s.Put(r, c) },
            // Get, unary as it should be, but with Put's request and reply.
            { nameof(Knowledge.Get), (Knowledge s, PutKnowledgeRequest r, ServerCallContext c) => s.Put(r, c) },
            { nameof(Knowledge.List), (Knowledge s, ListKnowledgeRequest r, ServerCallContext c) => s.List(r, c) },
            { nameof(Knowledge.Watch), (Knowledge s, WatchKnowledgeRequest r, IServerStreamWriter<KnowledgePacket> w, ServerCallContext c) => s.Watch(r, w, c) },
        };

        var error = Assert.Throws<InvalidOperationException>(() => Map(services => services.AddGrpcMethods(wrong)));

        Assert.Equal("The method table of Knowledge has 'Get' from PutKnowledgeRequest to PutKnowledgeReply; " +
            "sovereign.api.v1.KnowledgeService/Get takes GetKnowledgeRequest and returns KnowledgePacket.", error.Message);
    }

    [Fact]
    public void A_method_cannot_be_in_a_table_twice()
    {
        var table = FullTable();

        var error = Assert.Throws<ArgumentException>(() => table.Add(nameof(Knowledge.Put), (Knowledge s, PutKnowledgeRequest r, ServerCallContext c) => s.Put(r, c)));

        Assert.StartsWith("The method table of Knowledge already has 'Put'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_without_a_table_is_refused_when_mapped()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Map(services => services.AddGrpcMethods(new GrpcMethods<NodeStatusOnly>(NodeService.Descriptor)
        {
            { nameof(NodeStatusOnly.GetStatus), (NodeStatusOnly s, GetStatusRequest r, ServerCallContext c) => s.GetStatus(r, c) },
        })));

        Assert.Equal("Knowledge has no method table: register one with AddGrpcMethods.", error.Message);
    }

    [Fact]
    public void Adding_grpc_again_after_the_tables_is_caught_when_mapped()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Map(services => services.AddGrpcMethods(FullTable()).AddGrpc()));

        Assert.StartsWith("Knowledge's methods would be bound twice", error.Message, StringComparison.Ordinal);
    }

    private sealed class NodeStatusOnly : NodeService.NodeServiceBase;
}
