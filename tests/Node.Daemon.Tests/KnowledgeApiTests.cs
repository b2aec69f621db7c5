using Google.Protobuf;
using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Protocol.Packets;

namespace Node.Daemon.Tests;

/// <summary>KnowledgeService over the real socket of an in-process node.</summary>
public sealed class KnowledgeApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static PutKnowledgeRequest Note(string topic, string key, string text) =>
        new() { Topic = topic, Key = key, Content = ByteString.CopyFromUtf8(text) };

    [Fact]
    public async Task A_put_packet_is_signed_by_the_node_and_read_back_by_id_and_by_slot()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);
        var status = await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Token);

        var put = await client.PutAsync(Note("weather", "oslo", "rain"), cancellationToken: Token);
        var byId = await client.GetAsync(new GetKnowledgeRequest { Id = put.Id }, cancellationToken: Token);
        var bySlot = await client.GetAsync(new GetKnowledgeRequest { Slot = new Slot { Topic = "weather", Key = "oslo" } }, cancellationToken: Token);

        Assert.True(put.Created);
        Assert.Matches("^[0-9a-f]{64}$", put.Id);
        Assert.Equal(put.Id, byId.Id);
        Assert.Equal(put.Seq, byId.Seq);
        Assert.Equal(status.NodeId, byId.Author);
        Assert.Equal(status.NodeId, byId.Origin);
        Assert.Equal(PacketKind.Note, byId.Kind);
        Assert.Equal(ShareScope.Local, byId.Scope);
        Assert.Equal("rain", byId.Content.ToStringUtf8());
        Assert.Equal("text/plain; charset=utf-8", byId.MediaType);
        Assert.Equal(put.Id, bySlot.Id);
        Assert.Empty(bySlot.Contenders);
        // The envelope is the signed one: its payload hashes to the id.
        var envelope = Envelope.Parser.ParseFrom(byId.Envelope);
        Assert.Equal(put.Id, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(envelope.Payload.Span)));
        Assert.Equal(status.NodeId, Assert.Single(envelope.Signatures).Keyid);
    }

    [Fact]
    public async Task Many_clients_putting_at_once_are_all_stored_and_status_answers_meanwhile()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);

        var puts = Enumerable.Range(0, 48).Select(i => client.PutAsync(Note("load", $"k{i}", $"v{i}"), cancellationToken: Token).ResponseAsync).ToList();
        var status = await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Token);
        var replies = await Task.WhenAll(puts);

        Assert.Equal(48, replies.Count(r => r.Created));
        Assert.Equal(48, replies.Select(r => r.Seq).Distinct().Count());
        Assert.False(string.IsNullOrEmpty(status.NodeId));
    }

    [Fact]
    public async Task The_current_value_of_a_slot_is_the_latest_of_this_node_and_a_retraction_empties_it()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);

        var first = await client.PutAsync(Note("price", "btc", "1"), cancellationToken: Token);
        var second = await client.PutAsync(Note("price", "btc", "2"), cancellationToken: Token);
        var current = await client.GetAsync(new GetKnowledgeRequest { Slot = new Slot { Topic = "price", Key = "btc" } }, cancellationToken: Token);
        Assert.Equal(second.Id, current.Id);
        Assert.Equal([first.Id], current.Contenders);

        var retraction = new PutKnowledgeRequest { Topic = "price", Key = "btc", Kind = PacketKind.Retraction, Supersedes = { first.Id, second.Id } };
        await client.PutAsync(retraction, cancellationToken: Token);
        var gone = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetAsync(new GetKnowledgeRequest { Slot = new Slot { Topic = "price", Key = "btc" } }, cancellationToken: Token).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Contains("retracted", gone.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_filters_and_pages_in_receive_order()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.PutAsync(Note("a", $"k{i}", $"{i}"), cancellationToken: Token)).Id);
            await client.PutAsync(Note("b", $"k{i}", $"{i}"), cancellationToken: Token);
        }

        var seen = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await client.ListAsync(new ListKnowledgeRequest { Topic = "a", PageSize = 2, PageToken = token }, cancellationToken: Token);
            seen.AddRange(page.Packets.Select(p => p.Id));
            Assert.All(page.Packets, p => Assert.Equal("a", p.Topic));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
        var byKey = await client.ListAsync(new ListKnowledgeRequest { Key = "k3" }, cancellationToken: Token);
        Assert.Equal(["a", "b"], byKey.Packets.Select(p => p.Topic));
    }

    [Fact]
    public async Task Watch_replays_after_a_sequence_then_streams_new_packets()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);
        var before = await client.PutAsync(Note("w", "1", "old"), cancellationToken: Token);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        using var watch = client.Watch(new WatchKnowledgeRequest { Topic = "w", Replay = true, AfterSeq = before.Seq - 1 }, cancellationToken: cancel.Token);

        Assert.True(await watch.ResponseStream.MoveNext(Token));
        Assert.Equal(before.Id, watch.ResponseStream.Current.Id);
        await client.PutAsync(Note("other", "x", "not watched"), cancellationToken: Token);
        var after = await client.PutAsync(Note("w", "2", "new"), cancellationToken: Token);
        Assert.True(await watch.ResponseStream.MoveNext(Token));
        Assert.Equal(after.Id, watch.ResponseStream.Current.Id);

        await cancel.CancelAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(Token));
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
    }

    private static readonly Dictionary<string, (PutKnowledgeRequest Request, StatusCode Code, string Message)> Bad = new()
    {
        ["empty topic"] = (new PutKnowledgeRequest { Key = "k" }, StatusCode.InvalidArgument, "topic:"),
        ["empty key"] = (new PutKnowledgeRequest { Topic = "t" }, StatusCode.InvalidArgument, "key:"),
        ["topic too long"] = (new PutKnowledgeRequest { Topic = new string('t', 257), Key = "k" }, StatusCode.InvalidArgument, "topic: is longer than 256 bytes"),
        ["control characters"] = (new PutKnowledgeRequest { Topic = "a\nb", Key = "k" }, StatusCode.InvalidArgument, "topic: must not contain control characters"),
        ["manifest kind"] = (new PutKnowledgeRequest { Topic = "t", Key = "k", Kind = PacketKind.Manifest }, StatusCode.InvalidArgument, "kind:"),
        ["unknown kind"] = (new PutKnowledgeRequest { Topic = "t", Key = "k", Kind = (PacketKind)99 }, StatusCode.InvalidArgument, "kind: 99"),
        ["unknown scope"] = (new PutKnowledgeRequest { Topic = "t", Key = "k", Scope = (ShareScope)7 }, StatusCode.InvalidArgument, "scope: 7"),
        ["content over the limit"] = (new PutKnowledgeRequest { Topic = "t", Key = "k", Content = ByteString.CopyFrom(new byte[256 * 1024 + 1]) }, StatusCode.InvalidArgument, "content: is 262145 bytes"),
        ["bad dependency id"] = (new PutKnowledgeRequest { Topic = "t", Key = "k", Dependencies = { "xyz" } }, StatusCode.InvalidArgument, "dependencies[0]: a packet id is 64 hex characters"),
        ["missing dependency"] = (new PutKnowledgeRequest { Topic = "t", Key = "k", Dependencies = { new string('a', 64) } }, StatusCode.FailedPrecondition, "is not stored here"),
        ["retraction of nothing"] = (new PutKnowledgeRequest { Topic = "t", Key = "k", Kind = PacketKind.Retraction }, StatusCode.InvalidArgument, "supersedes:"),
    };

    public static TheoryData<string> BadPuts => [.. Bad.Keys];

    [Theory]
    [MemberData(nameof(BadPuts))]
    public async Task A_bad_put_is_refused_with_the_field_named_and_nothing_stored(string what)
    {
        var (request, code, message) = Bad[what];
        await using var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.PutAsync(request, cancellationToken: Token).ResponseAsync);

        Assert.True(code == refused.StatusCode, $"{what}: {refused.Status}");
        Assert.Contains(message, refused.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await client.ListAsync(new ListKnowledgeRequest(), cancellationToken: Token)).Packets);
    }

    [Fact]
    public async Task Reads_with_bad_arguments_name_the_field_and_unknown_ids_are_not_found()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);

        async Task<RpcException> Refused<T>(AsyncUnaryCall<T> call) => await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        var absent = await Refused(client.GetAsync(new GetKnowledgeRequest { Id = new string('0', 64) }, cancellationToken: Token));
        var noSelector = await Refused(client.GetAsync(new GetKnowledgeRequest(), cancellationToken: Token));
        var badToken = await Refused(client.ListAsync(new ListKnowledgeRequest { PageToken = "garbage!" }, cancellationToken: Token));
        var hugePage = await Refused(client.ListAsync(new ListKnowledgeRequest { PageSize = 5000 }, cancellationToken: Token));
        var badAuthor = await Refused(client.ListAsync(new ListKnowledgeRequest { Author = "AAAA" }, cancellationToken: Token));

        Assert.Equal(StatusCode.NotFound, absent.StatusCode);
        Assert.Equal((StatusCode.InvalidArgument, "selector:"), (noSelector.StatusCode, noSelector.Status.Detail[..9]));
        Assert.Equal((StatusCode.InvalidArgument, "page_token:"), (badToken.StatusCode, badToken.Status.Detail[..11]));
        Assert.Equal((StatusCode.InvalidArgument, "page_size:"), (hugePage.StatusCode, hugePage.Status.Detail[..10]));
        Assert.Equal((StatusCode.InvalidArgument, "author:"), (badAuthor.StatusCode, badAuthor.Status.Detail[..7]));
    }

    [Fact]
    public async Task A_request_over_the_message_limit_is_refused_before_it_is_read()
    {
        await using var node = await ApiNode.StartAsync();
        var client = new KnowledgeService.KnowledgeServiceClient(node.Channel);

        var huge = new PutKnowledgeRequest { Topic = "t", Key = "k", Content = ByteString.CopyFrom(new byte[Api.ApiLimits.MaxRequestBytes + 1]) };
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.PutAsync(huge, cancellationToken: Token).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.NotNull(await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Token));
    }
}

/// <summary>Bytes that are not the request message a method takes.</summary>
public sealed class WrongTypeTests
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    [Theory]
    [InlineData(new byte[] { 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f })] // a field longer than the message
    [InlineData(new byte[] { 0x0a, 0x02, 0xc3, 0x28 })]             // topic that is not UTF-8
    [InlineData(new byte[] { 0xff })]                               // not protobuf at all
    public async Task A_request_that_does_not_decode_is_an_invalid_argument_and_the_node_goes_on(byte[] garbage)
    {
        await using var node = await ApiNode.StartAsync();
        var put = new Method<byte[], byte[]>(MethodType.Unary, "sovereign.api.v1.KnowledgeService", "Put", Raw, Raw);

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            node.Channel.CreateCallInvoker().AsyncUnaryCall(put, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken), garbage).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("request: does not decode as the method's request message: ", refused.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Status.Detail, StringComparison.Ordinal);
        Assert.NotNull(await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_request_that_does_not_decode_is_the_clients_error_not_the_nodes_and_is_counted()
    {
        await using var node = await ApiNode.StartAsync();
        var put = new Method<byte[], byte[]>(MethodType.Unary, "sovereign.api.v1.KnowledgeService", "Put", Raw, Raw);

        for (var i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() =>
                node.Channel.CreateCallInvoker().AsyncUnaryCall(put, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken), [0xff]).ResponseAsync);
        }

        var status = await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: TestContext.Current.CancellationToken);
        var logs = Path.Combine(node.DataDirectory, "logs");
        Assert.Equal("", LogFiles.Read(logs, "errors-*.log"));
        Assert.DoesNotContain("InvalidProtocolBufferException", LogFiles.Read(logs, "node-*.log"), StringComparison.Ordinal);
        Assert.Contains("; 20 requests that did not decode", status.Subsystems.Single(s => s.Name == "api").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_streamed_message_that_does_not_decode_is_an_invalid_argument_and_no_error_of_the_node()
    {
        await using var node = await ApiNode.StartAsync();
        var observe = new Method<byte[], byte[]>(MethodType.DuplexStreaming, "sovereign.api.v1.ReasoningService", "Observe", Raw, Raw);
        using var call = node.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(observe, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken));

        await call.RequestStream.WriteAsync([0xff], TestContext.Current.CancellationToken);
        var refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("request: does not decode as the method's request message: ", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("", LogFiles.Read(Path.Combine(node.DataDirectory, "logs"), "errors-*.log"));
    }

    [Fact]
    public async Task A_client_that_hangs_up_in_the_middle_of_a_stream_is_no_error_of_the_node()
    {
        await using var node = await ApiNode.StartAsync();
        using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var call = new ReasoningService.ReasoningServiceClient(node.Channel).Observe(cancellationToken: hangUp.Token);

        await call.RequestStream.WriteAsync(new ObserveRequest { Subject = "sp500", Bar = ApiBars.First(1)[0] }, TestContext.Current.CancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken)); // the node is in the stream, waiting for the next bar
        await hangUp.CancelAsync();
        await new NodeService.NodeServiceClient(node.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("", LogFiles.Read(Path.Combine(node.DataDirectory, "logs"), "errors-*.log"));
    }
}
