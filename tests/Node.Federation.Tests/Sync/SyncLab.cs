using Google.Protobuf;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Sync;
using Node.Federation.Trust;
using Node.Protocol.Packets;
using Node.Protocol.Peer;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Federation.Tests.Sync;

/// <summary>
/// Nodes with real stores and the real sync engine, linked by an in-memory network: each request and
/// reply crosses as bytes (so the wire format is what is counted), and the answering node decides the
/// caller's view from its own tiers, as the peer link's server side does.
/// </summary>
internal sealed class SyncLab : IAsyncDisposable
{
    private readonly List<LabNode> _nodes = [];

    public LabNode Add(byte seed, TimeProvider? time = null)
    {
        var node = new LabNode(NodeIdentity.FromSeed(Enumerable.Repeat(seed, 32).ToArray()), time ?? TimeProvider.System);
        _nodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
    }
}

/// <summary>One node of a <see cref="SyncLab"/>.</summary>
internal sealed class LabNode : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovereign-sync-test-").FullName;
    private ulong _hlc = 1UL << 20;

    public LabNode(NodeIdentity identity, TimeProvider time)
    {
        Identity = identity;
        Time = time;
        Store = NodeStore.Open(_dir, new StoreOptions(), time, NullLogger.Instance);
        Keys = new AuthorKeys(Store);
        Keys.AddOwnKeyAsync(identity).GetAwaiter().GetResult();
        Server = new SyncServer(Store, Keys, new ViewSets(Store, time));
        Round = new SyncRound(Store, new PacketIntake(Store.Writer, Keys), Keys, time, NullLogger.Instance);
        var ownKeys = new KeyDirectory();
        ownKeys.Add(identity.PublicKey);
        _intake = new PacketIntake(Store.Writer, ownKeys);
    }

    private readonly PacketIntake _intake;

    public NodeIdentity Identity { get; }

    public TimeProvider Time { get; }

    public string Id => Identity.Id.ToString();

    public NodeStore Store { get; }

    public AuthorKeys Keys { get; }

    public SyncServer Server { get; }

    public SyncRound Round { get; }

    public SyncBook Book { get; } = new();

    /// <summary>This node's tier for each peer (by node id); absent: unknown.</summary>
    public Dictionary<string, TrustTier> Tiers { get; } = new(StringComparer.Ordinal);

    /// <summary>Bytes this node's requests and the replies to them took on the wire.</summary>
    public long WireBytes { get; set; }

    public TrustTier TierOf(LabNode peer) => Tiers.GetValueOrDefault(peer.Id, TrustTier.Unknown);

    /// <summary>This node and <paramref name="peer"/> hold each other at <paramref name="tier"/>.</summary>
    public void TrustBothWays(LabNode peer, TrustTier tier)
    {
        Tiers[peer.Id] = tier;
        peer.Tiers[Id] = tier;
    }

    /// <summary>Signs and stores a packet authored here.</summary>
    public Task<byte[]> PutAsync(string key, ShareScope scope, string content = "v", PacketKind kind = PacketKind.Note, params byte[][] supersedes) =>
        PutAsync(key, scope, content, kind, supersedes, dependencies: []);

    /// <summary>Signs and stores a note authored here that depends on <paramref name="dependency"/>.</summary>
    public Task<byte[]> PutDependingAsync(string key, ShareScope scope, byte[] dependency) =>
        PutAsync(key, scope, "v", PacketKind.Note, [], [dependency]);

    private async Task<byte[]> PutAsync(string key, ShareScope scope, string content, PacketKind kind, byte[][] supersedes, byte[][] dependencies)
    {
        var body = new PacketBody
        {
            Author = Id,
            Topic = "lab",
            Key = key,
            Kind = kind,
            MediaType = "text/plain; charset=utf-8",
            Content = ByteString.CopyFromUtf8(content),
            Hlc = _hlc++,
            Scope = scope,
        };
        body.Supersedes.AddRange(supersedes.Select(ByteString.CopyFrom));
        body.Dependencies.AddRange(dependencies.Select(ByteString.CopyFrom));
        var (id, envelope) = PacketSigner.Sign(body, Identity);
        var result = await _intake.AcceptAsync(envelope, expectedId: id, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(IntakeOutcome.Stored, result.Outcome);
        return id;
    }

    /// <summary>Runs one round pulling from <paramref name="peer"/>.</summary>
    public Task<SyncRoundResult> PullAsync(LabNode peer, bool audit = false) =>
        Round.RunAsync(peer.Id, TierOf(peer), new MemoryPeer(peer, this), Book.Of(peer.Id), audit, TestContext.Current.CancellationToken);

    /// <summary>This node's side of <paramref name="peer"/>, over the in-memory network; <paramref name="fail"/> decides whether a call is lost.</summary>
    public ISyncPeer Channel(LabNode peer, Func<bool>? fail = null) => new MemoryPeer(peer, this, fail);

    /// <summary>The ids of this node's view at <paramref name="lowest"/> (scope and wider), as hex, in (hlc, id) order.</summary>
    public IReadOnlyList<string> View(PacketScope lowest)
    {
        using var reader = Store.OpenReader();
        return [.. reader.Sync.Keys(lowest).Select(k => Convert.ToHexStringLower(k.Id))];
    }

    /// <summary>Ids stored here (any scope), as hex.</summary>
    public SortedSet<string> StoredIds()
    {
        using var reader = Store.OpenReader();
        return [.. reader.Packets.After(new PacketFilter(), 0, int.MaxValue).Select(p => Convert.ToHexStringLower(p.Packet.Id))];
    }

    public bool Has(byte[] id) => StoredIds().Contains(Convert.ToHexStringLower(id));

    public SortedSet<string> QuarantinedIds()
    {
        using var reader = Store.OpenReader();
        return [.. reader.Sync.Quarantined(int.MaxValue).Select(p => Convert.ToHexStringLower(p.Id))];
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Identity.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // The peer's server, reached through bytes: what the caller sends is parsed by the peer, and back.
    private sealed class MemoryPeer(LabNode server, LabNode caller, Func<bool>? fail = null) : ISyncPeer
    {
        public Task<CatchUpReply> CatchUpAsync(CatchUpRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(Cross(request, CatchUpRequest.Parser, CatchUpReply.Parser, (view, r) => server.Server.CatchUp(view, r)));

        public Task<ReconcileReply> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(Cross(request, ReconcileRequest.Parser, ReconcileReply.Parser, (view, r) => server.Server.Reconcile(view, r)));

        public Task<FetchReply> FetchAsync(FetchRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(Cross(request, FetchRequest.Parser, FetchReply.Parser, (view, r) => server.Server.Fetch(view, r)));

        private TReply Cross<TRequest, TReply>(TRequest request, MessageParser<TRequest> requests, MessageParser<TReply> replies,
            Func<PacketScope, TRequest, TReply> serve)
            where TRequest : IMessage<TRequest>
            where TReply : IMessage<TReply>
        {
            if (fail?.Invoke() == true)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "lost on the simulated network"));
            }

            var view = PeerPermissions.SyncView(server.TierOf(caller))
                ?? throw new RpcException(new Status(StatusCode.PermissionDenied, $"node {caller.Id} is below sandbox on {server.Id}"));
            var sent = request.ToByteArray();
            var reply = serve(view, requests.ParseFrom(sent)).ToByteArray();
            caller.WireBytes += sent.Length + reply.Length;
            return replies.ParseFrom(reply);
        }
    }
}
