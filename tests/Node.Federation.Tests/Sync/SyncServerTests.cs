using CsCheck;
using Google.Protobuf;
using Grpc.Core;
using Node.Federation.Sync;
using Node.Federation.Trust;
using Node.Protocol.Packets;
using Node.Protocol.Peer;
using Node.Storage.Packets;

namespace Node.Federation.Tests.Sync;

/// <summary>The answering side of sync under hostile requests: refused by name, never a crash, never a packet outside the caller's view.</summary>
public sealed class SyncServerTests : IAsyncDisposable
{
    private readonly SyncLab _lab = new();

    public ValueTask DisposeAsync() => _lab.DisposeAsync();

    private async Task<(LabNode Node, byte[] Local, byte[] Core, byte[] Shared)> NodeWithScopesAsync()
    {
        var node = _lab.Add(1);
        var local = await node.PutAsync("local", ShareScope.Local);
        var core = await node.PutAsync("core", ShareScope.Core);
        var shared = await node.PutAsync("shared", ShareScope.Shareable);
        return (node, local, core, shared);
    }

    private static ByteString Epoch(LabNode node) => ByteString.CopyFrom(node.Store.Epoch);

    [Fact]
    public async Task Catch_up_serves_only_the_view_and_a_cursor_from_another_epoch_or_the_future_gets_no_packets()
    {
        var (node, local, core, shared) = await NodeWithScopesAsync();

        var sandbox = node.Server.CatchUp(PacketScope.Shareable, new CatchUpRequest { Epoch = Epoch(node), ViewScope = 3 });
        Assert.Equal([Hex(shared)], sandbox.Packets.Select(p => Id(p.Envelope)));
        Assert.Equal(sandbox.LastSeq, sandbox.ScannedTo);

        // Asking for a wider view than the tier gives: no packets, told its view.
        var greedy = node.Server.CatchUp(PacketScope.Shareable, new CatchUpRequest { Epoch = Epoch(node), ViewScope = 2 });
        Assert.Empty(greedy.Packets);
        Assert.Equal(3u, greedy.ViewScope);

        var core2 = node.Server.CatchUp(PacketScope.Core, new CatchUpRequest { Epoch = Epoch(node), ViewScope = 2 });
        Assert.Equal(new[] { Hex(core), Hex(shared) }.Order(), core2.Packets.Select(p => Id(p.Envelope)).Order());
        Assert.DoesNotContain(Hex(local), core2.Packets.Select(p => Id(p.Envelope)));

        var otherEpoch = node.Server.CatchUp(PacketScope.Core, new CatchUpRequest { Epoch = ByteString.CopyFrom(new byte[16]), ViewScope = 2 });
        Assert.Empty(otherEpoch.Packets);
        Assert.Equal(Epoch(node), otherEpoch.Epoch);
        var future = node.Server.CatchUp(PacketScope.Core, new CatchUpRequest { Epoch = Epoch(node), ViewScope = 2, AfterSeq = 1_000_000 });
        Assert.Empty(future.Packets);
        Assert.Equal(0, future.ScannedTo);
    }

    [Fact]
    public async Task Malformed_requests_are_refused_with_invalid_argument_naming_the_field()
    {
        var (node, _, _, _) = await NodeWithScopesAsync();

        Assert.Contains("after_seq", Refused(() => node.Server.CatchUp(PacketScope.Core, new CatchUpRequest { AfterSeq = -1 })));
        Assert.Contains("max_packets", Refused(() => node.Server.CatchUp(PacketScope.Core, new CatchUpRequest { MaxPackets = 5000 })));
        Assert.Contains("epoch", Refused(() => node.Server.CatchUp(PacketScope.Core, new CatchUpRequest { Epoch = ByteString.CopyFrom(new byte[3]) })));
        Assert.Contains("ids", Refused(() => node.Server.Fetch(PacketScope.Core, new FetchRequest { Ids = { ByteString.CopyFrom(new byte[31]) } })));
        Assert.Contains("ids", Refused(() => node.Server.Fetch(PacketScope.Core,
            new FetchRequest { Ids = { Enumerable.Range(0, SyncLimits.MaxFetchIds + 1).Select(_ => ByteString.CopyFrom(new byte[32])) } })));
        Assert.Contains("view_scope", Refused(() => node.Server.Reconcile(PacketScope.Core, new ReconcileRequest { ViewScope = 1 })));
        Assert.Contains("message", Refused(() => node.Server.Reconcile(PacketScope.Core,
            new ReconcileRequest { ViewScope = 2, Message = ByteString.CopyFrom(new byte[SyncLimits.MaxReconcileMessageBytes + 1]) })));
    }

    [Fact]
    public async Task Fetch_answers_ids_outside_the_view_as_absent_exactly_as_ids_that_do_not_exist()
    {
        var (node, local, core, shared) = await NodeWithScopesAsync();
        var unknown = new byte[32];

        var reply = node.Server.Fetch(PacketScope.Shareable, new FetchRequest { Ids = { new[] { local, core, shared, unknown }.Select(ByteString.CopyFrom) } });

        Assert.Equal([Hex(shared)], reply.Packets.Select(p => Id(p.Envelope)));
        Assert.Equal(new[] { Hex(local), Hex(core), Hex(unknown) }, reply.Absent.Select(a => Convert.ToHexStringLower(a.Span)));
        Assert.Empty(reply.Deferred);
    }

    [Fact]
    public async Task Garbage_of_any_shape_never_crashes_the_server_and_never_serves_outside_the_view()
    {
        var (node, local, core, _) = await NodeWithScopesAsync();
        var hidden = new[] { Hex(local), Hex(core) };
        Gen.Select(Gen.Byte.Array[0, 64], Gen.Long, Gen.UInt, Gen.UInt[0, 4], Gen.Byte.Array[0, 300]).Sample((epoch, after, max, scope, message) =>
        {
            foreach (var call in new Func<IMessage>[]
            {
                () => node.Server.CatchUp(PacketScope.Shareable, new CatchUpRequest { Epoch = ByteString.CopyFrom(epoch), AfterSeq = after, MaxPackets = max, ViewScope = scope }),
                () => node.Server.Reconcile(PacketScope.Shareable, new ReconcileRequest { ViewScope = scope, Message = ByteString.CopyFrom(message) }),
                () => node.Server.Fetch(PacketScope.Shareable, new FetchRequest { Ids = { ByteString.CopyFrom(message) } }),
            })
            {
                try
                {
                    var reply = call();
                    var served = reply switch
                    {
                        CatchUpReply c => c.Packets.Select(p => Id(p.Envelope)),
                        FetchReply f => f.Packets.Select(p => Id(p.Envelope)),
                        _ => [],
                    };
                    Assert.Empty(served.Intersect(hidden));
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
                {
                    // Refused by name: fine.
                }
            }
        }, iter: 300);
    }

    [Fact]
    public async Task A_peer_whose_catch_up_replies_lie_ends_the_round_with_a_protocol_error_and_nothing_stored()
    {
        var (node, _, _, _) = await NodeWithScopesAsync();
        var caller = _lab.Add(2);
        caller.TrustBothWays(node, TrustTier.Core);
        await caller.PullAsync(node);
        var before = caller.StoredIds();

        var liar = new LyingPeer(node.Store.Epoch);
        await Assert.ThrowsAsync<SyncProtocolException>(() => caller.Round.RunAsync(node.Id, TrustTier.Core, liar, caller.Book.Of(node.Id), audit: false,
            TestContext.Current.CancellationToken));

        Assert.Equal(before, caller.StoredIds());
    }

    [Fact]
    public async Task A_reconciliation_is_answered_from_one_snapshot_while_packets_arrive_and_a_gone_snapshot_is_refused()
    {
        var server = _lab.Add(1);
        var caller = _lab.Add(2);
        server.TrustBothWays(caller, TrustTier.Core);
        for (var i = 0; i < 3000; i++)
        {
            await server.PutAsync($"k{i}", ShareScope.Core);
        }

        // After each reconciliation reply the server stores one more packet: its set changes under the reconciliation.
        var busy = new BusyPeer(caller.Channel(server), () => server.PutAsync($"late{Guid.NewGuid()}", ShareScope.Core));
        var result = await caller.Round.RunAsync(server.Id, TrustTier.Core, busy, caller.Book.Of(server.Id), audit: true, TestContext.Current.CancellationToken);

        Assert.Equal("reconciliation", result.Kind);
        Assert.True(busy.Reconciles > 1, $"{busy.Reconciles} round trips");
        Assert.Equal(server.View(PacketScope.Core), caller.View(PacketScope.Core));
        var gone = Assert.Throws<RpcException>(() => server.Server.Reconcile(PacketScope.Core, new ReconcileRequest { ViewScope = 2, Snapshot = 999_999 }));
        Assert.Equal(StatusCode.FailedPrecondition, gone.StatusCode);
    }

    private static string Refused(Action call) => Assert.Throws<RpcException>(call) is { StatusCode: StatusCode.InvalidArgument } ex
        ? ex.Status.Detail : throw new InvalidOperationException("not INVALID_ARGUMENT");

    private static string Hex(byte[] id) => Convert.ToHexStringLower(id);

    private static string Id(ByteString envelope) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Envelope.Parser.ParseFrom(envelope).Payload.Span));

    // The server's sync methods, with a packet stored on the server after every reconciliation reply.
    private sealed class BusyPeer(ISyncPeer inner, Func<Task> meanwhile) : ISyncPeer
    {
        public int Reconciles { get; private set; }

        public Task<CatchUpReply> CatchUpAsync(CatchUpRequest request, CancellationToken cancellationToken) => inner.CatchUpAsync(request, cancellationToken);

        public async Task<ReconcileReply> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
        {
            var reply = await inner.ReconcileAsync(request, cancellationToken);
            Reconciles++;
            await meanwhile();
            return reply;
        }

        public Task<FetchReply> FetchAsync(FetchRequest request, CancellationToken cancellationToken) => inner.FetchAsync(request, cancellationToken);
    }

    // Answers every catch-up with a page that is "not the last" and moves nothing: a round must not spin on it.
    private sealed class LyingPeer(byte[] epoch) : ISyncPeer
    {
        public Task<CatchUpReply> CatchUpAsync(CatchUpRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new CatchUpReply { Epoch = ByteString.CopyFrom(epoch), ViewScope = request.ViewScope, ScannedTo = request.AfterSeq, LastSeq = request.AfterSeq + 10 });

        public Task<ReconcileReply> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<FetchReply> FetchAsync(FetchRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
