using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Storage;
using Node.Storage.Events.Payloads;

namespace Node.Daemon.Tests.ApiServices;

/// <summary>LogService.Tail over the real socket of an in-process node.</summary>
public sealed class LogApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static PutKnowledgeRequest Note(string key) => new() { Topic = "log", Key = key, Content = ByteString.CopyFromUtf8(key) };

    private static async Task<List<LogEvent>> TailAsync(ApiNode node, TailLogRequest request)
    {
        using var tail = new LogService.LogServiceClient(node.Channel).Tail(request, cancellationToken: Token);
        return await tail.ResponseStream.ReadAllAsync(Token).ToListAsync(Token);
    }

    [Fact]
    public async Task Tail_sends_the_last_entries_or_those_after_a_sequence_in_order()
    {
        await using var node = await ApiNode.StartAsync();
        var knowledge = new KnowledgeService.KnowledgeServiceClient(node.Channel);
        for (var i = 0; i < 3; i++)
        {
            await knowledge.PutAsync(Note($"k{i}"), cancellationToken: Token);
        }

        var head = (await new LogService.LogServiceClient(node.Channel).VerifyAsync(new VerifyLogRequest(), cancellationToken: Token)).HeadSeq;
        var everything = await TailAsync(node, new TailLogRequest { Last = 10_000 });
        var lastTwo = await TailAsync(node, new TailLogRequest { Last = 2 });
        var byDefault = await TailAsync(node, new TailLogRequest());
        var afterSeq = await TailAsync(node, new TailLogRequest { AfterSeq = head - 3, Last = 1 });
        var afterHead = await TailAsync(node, new TailLogRequest { AfterSeq = head });

        Assert.Equal(Enumerable.Range(1, (int)head).Select(i => (long)i), everything.Select(e => e.Seq));
        Assert.Equal([head - 1, head], lastTwo.Select(e => e.Seq));
        Assert.Equal(everything.TakeLast(20), byDefault);
        Assert.Equal([head - 2, head - 1, head], afterSeq.Select(e => e.Seq));
        Assert.Empty(afterHead);
        Assert.All(everything, e =>
        {
            Assert.Matches("^[0-9a-f]{64}$", e.Hash);
            Assert.StartsWith("{", e.Payload, StringComparison.Ordinal);
            Assert.True(e.Time > 0);
        });
        Assert.Equal(3, everything.Count(e => e.Kind == "packet.accepted"));
    }

    [Fact]
    public async Task Follow_streams_a_new_entry_after_a_put_and_ends_cleanly_when_cancelled()
    {
        await using var node = await ApiNode.StartAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        using var tail = new LogService.LogServiceClient(node.Channel).Tail(new TailLogRequest { Last = 1, Follow = true }, cancellationToken: cancel.Token);

        Assert.True(await tail.ResponseStream.MoveNext(Token));
        var head = tail.ResponseStream.Current.Seq;
        var put = await new KnowledgeService.KnowledgeServiceClient(node.Channel).PutAsync(Note("followed"), cancellationToken: Token);
        Assert.True(await tail.ResponseStream.MoveNext(Token));
        var next = tail.ResponseStream.Current;

        Assert.Equal(head + 1, next.Seq);
        Assert.Equal("packet.accepted", next.Kind);
        Assert.Contains(put.Id, next.Payload, StringComparison.Ordinal);

        await cancel.CancelAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(() => tail.ResponseStream.MoveNext(Token));
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        // The node is unharmed: the log still verifies and another tail works.
        Assert.True((await new LogService.LogServiceClient(node.Channel).VerifyAsync(new VerifyLogRequest(), cancellationToken: Token)).Intact);
        Assert.Equal(next, Assert.Single(await TailAsync(node, new TailLogRequest { Last = 1 })));
    }

    // The timeout only turns a stream that stops short (waiting forever for more) into a failure.
    [Theory(Timeout = 20_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_seq_sends_every_later_entry_even_past_the_tail_limit(bool follow)
    {
        // More entries after the sequence than a tail sends first: written while the node is stopped.
        const int Extra = LogApiLimit + 5;
        var first = await ApiNode.StartAsync();
        ApiNode node;
        try
        {
            node = await first.RestartAsync(async directory =>
            {
                await using var store = NodeStore.Open(Path.Combine(directory, ".node"), new StoreOptions(), TimeProvider.System, NullLogger.Instance);
                await store.Writer.WriteAsync(context =>
                {
                    for (var i = 0; i < Extra; i++)
                    {
                        context.AppendEvent(new ConfigReloadedEvent([$"Filler:{i}"]));
                    }
                }, Token);
            });
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using (node)
        {
            var head = (await new LogService.LogServiceClient(node.Channel).VerifyAsync(new VerifyLogRequest(), cancellationToken: Token)).HeadSeq;
            var from = head - Extra;
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
            using var tail = new LogService.LogServiceClient(node.Channel).Tail(new TailLogRequest { AfterSeq = from, Follow = follow },
                cancellationToken: cancel.Token);
            var seen = new List<long>();
            while (seen.Count < Extra && await tail.ResponseStream.MoveNext(Token))
            {
                seen.Add(tail.ResponseStream.Current.Seq);
            }

            Assert.Equal(Extra, seen.Count);
            Assert.Equal(from + 1, seen[0]);
            Assert.Equal(head, seen[^1]);
            if (!follow)
            {
                Assert.False(await tail.ResponseStream.MoveNext(Token));
            }
        }
    }

    // LogApi.MaxTail: the most entries a tail sends first.
    private const int LogApiLimit = 10_000;

    [Theory]
    [InlineData(-1, "last: ")]
    [InlineData(10_001, "last: ")]
    public async Task A_bad_last_is_refused_naming_the_field(int last, string message)
    {
        await using var node = await ApiNode.StartAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => TailAsync(node, new TailLogRequest { Last = last }));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith(message, refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_after_seq_is_refused_naming_the_field()
    {
        await using var node = await ApiNode.StartAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => TailAsync(node, new TailLogRequest { AfterSeq = -5 }));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("after_seq: ", refused.Status.Detail, StringComparison.Ordinal);
    }
}
