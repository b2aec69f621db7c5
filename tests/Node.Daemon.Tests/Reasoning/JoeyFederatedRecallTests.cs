using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Daemon.Reasoning;
using Node.Daemon.Tests.Support;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Sync;
using Node.Protocol.Packets;
using Node.Reasoning.Memory;
using Node.Storage;

namespace Node.Daemon.Tests.Reasoning;

/// <summary>
/// Joey's recall counts federated packets (issue 17): what sync stores from a peer is counted as a peer's lean, what
/// waits in quarantine is not until it is promoted, and this node's own decisions are never counted twice.
/// </summary>
public sealed class JoeyFederatedRecallTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly NodeStore _store;
    private readonly NodeIdentity _self = NodeIdentity.FromSeed(Enumerable.Repeat((byte)1, 32).ToArray());
    private readonly NodeIdentity _core = NodeIdentity.FromSeed(Enumerable.Repeat((byte)2, 32).ToArray());
    private readonly NodeIdentity _sandbox = NodeIdentity.FromSeed(Enumerable.Repeat((byte)3, 32).ToArray());
    private readonly AuthorKeys _keys;
    private readonly PacketIntake _intake;
    private ulong _hlc = 1UL << 20;

    public JoeyFederatedRecallTests()
    {
        _store = NodeStore.Open(_dir.Path, new StoreOptions(), TimeProvider.System, NullLogger.Instance);
        _keys = new AuthorKeys(_store);
        _intake = new PacketIntake(_store.Writer, _keys);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private bool IsSelf(string author) => author == _self.Id.ToString();

    // A lean on spx as sync offers it: signed by its author, with the author's key alongside (self-certifying).
    private async Task<byte[]> ArriveAsync(NodeIdentity author, PacketKind kind, int direction, string fromPeer, PacketDestination destination)
    {
        var body = new PacketBody
        {
            Author = author.Id.ToString(),
            Topic = "insights",
            Key = $"spx-{_hlc}",
            Kind = kind,
            MediaType = "application/json",
            Content = ByteString.CopyFromUtf8($$"""{"subject":"spx","direction":{{direction}}}"""),
            Hlc = _hlc++,
            Scope = ShareScope.Core,
        };
        var (id, envelope) = PacketSigner.Sign(body, author);
        await _keys.LearnAsync([author.PublicKey.ToArray()], () => new HashSet<string> { body.Author }, Ct);
        var result = Assert.Single(await _intake.AcceptBatchAsync([new OfferedPacket(envelope, id)], fromPeer, destination, Ct));
        Assert.Equal(destination == PacketDestination.KnowledgeBase ? IntakeOutcome.Stored : IntakeOutcome.Quarantined, result.Outcome);
        return id;
    }

    [Fact]
    public async Task Packets_synced_from_peers_are_counted_quarantined_ones_only_once_promoted_and_our_own_decisions_never()
    {
        var core = _core.Id.ToString();
        var sandbox = _sandbox.Id.ToString();
        await ArriveAsync(_core, PacketKind.Insight, +1, core, PacketDestination.KnowledgeBase);
        await ArriveAsync(_core, PacketKind.Decision, +1, core, PacketDestination.KnowledgeBase);
        // Relayed by the core peer: data propagates, whoever wrote it.
        await ArriveAsync(_sandbox, PacketKind.Insight, -1, core, PacketDestination.KnowledgeBase);
        // This node's own decision, come back through a peer: its conclusion is counted already.
        await ArriveAsync(_self, PacketKind.Decision, +1, core, PacketDestination.KnowledgeBase);
        var waiting = await ArriveAsync(_sandbox, PacketKind.Insight, +1, sandbox, PacketDestination.Quarantine);

        var memory = new InMemoryReasoningMemory();
        var seq = ReasoningState.ScanPackets(_store, memory, IsSelf, 0, 100);

        Assert.Equal(new Tally(2, 1), memory.Packets("spx", +1));

        var desk = new QuarantineDesk(_store, _keys);
        Assert.Equal(VerdictOutcome.Done, (await desk.PromoteAsync(waiting, "alice", null, Ct)).Outcome);
        ReasoningState.ScanPackets(_store, memory, IsSelf, seq, 100);

        Assert.Equal(new Tally(3, 1), memory.Packets("spx", +1));
    }
}
