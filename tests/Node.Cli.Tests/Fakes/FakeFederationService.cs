using Grpc.Core;
using Node.Protocol.Api;

namespace Node.Cli.Tests.Fakes;

/// <summary>FederationService answering what the test set: one peer found on eth0, and a diagnosis with a quiet wlan0.</summary>
public sealed class FakeFederationService : FederationService.FederationServiceBase
{
    public Recorder<DiscoverRequest> Discovers { get; } = new();

    public DiscoverReply Discovery { get; set; } = new()
    {
        QueriedAt = FakeKnowledgeService.Epoch,
        Peers =
        {
            new DiscoveredPeer
            {
                Instance = $"{FakePeerService.PeerId}._sovereign._tcp.local", NodeId = FakePeerService.PeerId, Host = "sovereign-abcdefg.local",
                Port = 8102, Addresses = { "192.168.1.20:8102", "[fe80::20%2]:8102" }, Txt = { ["id"] = FakePeerService.PeerId, ["proto"] = "1" },
                InterfaceName = "eth0", LastSeenAt = FakeKnowledgeService.Epoch + 1_000,
            },
        },
    };

    public DiagnoseReply Diagnosis { get; set; } = new()
    {
        Enabled = true,
        Running = true,
        InstanceName = $"{FakeNode.NodeId}._sovereign._tcp.local",
        HostName = "sovereign-gcqtisu.local",
        Services = 1,
        Links =
        {
            new DiscoveryLink { Name = "eth0", Index = 2, JoinedIpv4 = true, JoinedIpv6 = true, PacketsSent = 12, PacketsReceived = 40, State = "announced" },
            new DiscoveryLink { Name = "wlan0", Index = 3, JoinedIpv4 = true, PacketsSent = 12, State = "announced" },
        },
        Hints = { "no multicast traffic seen on wlan0: check the firewall allows UDP 5353 and the switch passes multicast" },
    };

    public override Task<DiscoverReply> Discover(DiscoverRequest request, ServerCallContext context)
    {
        Discovers.Add(request);
        return Task.FromResult(Discovery);
    }

    public override Task<DiagnoseReply> Diagnose(DiagnoseRequest request, ServerCallContext context) => Task.FromResult(Diagnosis);

    public Recorder<SyncRequest> Syncs { get; } = new();

    public Recorder<SetAutoSyncRequest> AutoSyncs { get; } = new();

    /// <summary>When a round was asked for (2026-11-24 13:21:46Z) in the reply to Sync.</summary>
    public const long RequestedAt = FakeKnowledgeService.Epoch + 10_000;

    /// <summary>The status GetSyncStatus answers once <see cref="Statuses"/> is used up: the peer synced, idle, before any request.</summary>
    public SyncStatus Status { get; set; } = new()
    {
        AutoSync = true,
        Epoch = "00112233445566778899aabbccddeeff",
        LastSeq = 42,
        CoreView = new ViewSummary { Digest = new string('c', 64), Packets = 40 },
        ShareableView = new ViewSummary { Digest = new string('5', 64), Packets = 7 },
        Peers =
        {
            new PeerSync
            {
                NodeId = FakePeerService.PeerId, Tier = TrustTier.Core, Link = "connected", Phase = "idle", View = "core",
                RoundStartedAt = FakeKnowledgeService.Epoch, LastRoundEndedAt = FakeKnowledgeService.Epoch + 1_000, LastRoundResult = "ok",
                LastRoundKind = "catch-up", PacketsReceived = 12, BytesReceived = 3_584, PacketsSent = 4, BytesSent = 1_024, Refused = 1,
                ReceiveRate = 12, Rounds = 9,
            },
        },
    };

    /// <summary>Statuses GetSyncStatus answers in turn before <see cref="Status"/>: a round as it goes.</summary>
    public Queue<SyncStatus> Statuses { get; } = new();

    /// <summary>How many times GetSyncStatus was called.</summary>
    public int StatusReads => Volatile.Read(ref _statusReads);

    private int _statusReads;

    /// <summary>The peers Sync says it asked; null: the one asked for, or <see cref="FakePeerService.PeerId"/>.</summary>
    public IReadOnlyList<string>? Asked { get; set; }

    public override Task<SyncStatus> GetSyncStatus(GetSyncStatusRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _statusReads);
        lock (Statuses)
        {
            return Task.FromResult(Statuses.Count > 0 ? Statuses.Dequeue() : Status);
        }
    }

    public override Task<SyncReply> Sync(SyncRequest request, ServerCallContext context)
    {
        Syncs.Add(request);
        var reply = new SyncReply { RequestedAt = RequestedAt };
        reply.NodeIds.Add(Asked ?? [request.NodeId.Length > 0 ? request.NodeId : FakePeerService.PeerId]);
        return Task.FromResult(reply);
    }

    public override Task<SyncStatus> SetAutoSync(SetAutoSyncRequest request, ServerCallContext context)
    {
        AutoSyncs.Add(request);
        Status.AutoSync = request.On;
        return Task.FromResult(Status);
    }
}
