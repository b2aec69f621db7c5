using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Node.Daemon.Tests.Links;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using Node.Protocol.Packets;
using ApiTrustTier = Node.Protocol.Api.TrustTier;

namespace Node.Daemon.Tests.Sync;

/// <summary>
/// Two in-process nodes linked over loopback (<see cref="LinkedNodes"/>: heartbeats every second),
/// each holding the other at the tier a test asks for, and the sync and knowledge calls the sync
/// tests make through the local API. Waits poll with a deadline, never sleep for a fixed time.
/// </summary>
internal sealed class SyncNodes : IAsyncDisposable
{
    private SyncNodes(ApiNode a, ApiNode b, string idA, string idB)
    {
        (A, B, IdA, IdB) = (a, b, idA, idB);
    }

    public ApiNode A { get; }

    public ApiNode B { get; }

    public string IdA { get; }

    public string IdB { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts A and B, makes them static peers, sets A's tier for B and B's for A, and waits until both see the link up.</summary>
    public static async Task<SyncNodes> StartAsync(ApiTrustTier aHoldsB, ApiTrustTier bHoldsA)
    {
        var ports = LinkedNodes.FreePorts(2);
        var a = await LinkedNodes.StartAsync(ports[0]);
        ApiNode? b = null;
        try
        {
            b = await LinkedNodes.StartAsync(ports[1]);
            var (idA, idB) = await LinkedNodes.IntroduceAsync(a, ports[0], b, ports[1]);
            await LinkedNodes.TrustAsync(a, idB, aHoldsB);
            await LinkedNodes.TrustAsync(b, idA, bHoldsA);
            await LinkedNodes.WaitForAsync(a, peers => LinkedNodes.Link(peers, idB) is { State: "connected" });
            await LinkedNodes.WaitForAsync(b, peers => LinkedNodes.Link(peers, idA) is { State: "connected" });
            return new SyncNodes(a, b, idA, idB);
        }
        catch
        {
            if (b is not null)
            {
                await b.DisposeAsync();
            }

            await a.DisposeAsync();
            throw;
        }
    }

    public static KnowledgeService.KnowledgeServiceClient KnowledgeOf(ApiNode node) => new(node.Channel);

    public static FederationService.FederationServiceClient FederationOf(ApiNode node) => new(node.Channel);

    /// <summary>Puts a note in slot (<c>sync</c>, <paramref name="key"/>) at <paramref name="scope"/>; its id.</summary>
    public static async Task<string> PutAsync(ApiNode node, string key, ShareScope scope) =>
        (await KnowledgeOf(node).PutAsync(new PutKnowledgeRequest
        {
            Topic = "sync",
            Key = key,
            Content = ByteString.CopyFrom(Encoding.UTF8.GetBytes($"{key} at {scope}")),
            Scope = scope,
        }, cancellationToken: Ct)).Id;

    /// <summary>The packet <paramref name="id"/> as <paramref name="node"/> serves it, or null when it is not stored there.</summary>
    public static async Task<KnowledgePacket?> TryGetAsync(ApiNode node, string id)
    {
        try
        {
            return await KnowledgeOf(node).GetAsync(new GetKnowledgeRequest { Id = id }, cancellationToken: Ct);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The ids in <paramref name="node"/>'s quarantine.</summary>
    public static async Task<IReadOnlyList<QuarantinedPacket>> QuarantineAsync(ApiNode node) =>
        (await KnowledgeOf(node).ListQuarantineAsync(new ListQuarantineRequest(), cancellationToken: Ct)).Packets;

    public static async Task<SyncStatus> StatusAsync(ApiNode node) =>
        await FederationOf(node).GetSyncStatusAsync(new GetSyncStatusRequest(), cancellationToken: Ct);

    /// <summary>
    /// Waits until the round <paramref name="node"/> was asked for at <paramref name="requestedAt"/>
    /// with <paramref name="peer"/> has ended: started at or after it, idle again. The peer's state then.
    /// </summary>
    public static async Task<PeerSync> RoundEndedAsync(ApiNode node, string peer, long requestedAt)
    {
        PeerSync? last = null;
        return await UntilAsync(async () =>
        {
            last = (await StatusAsync(node)).Peers.FirstOrDefault(p => p.NodeId == peer);
            return last is { Phase: "idle" } p && p.RoundStartedAt >= requestedAt && p.LastRoundEndedAt >= p.RoundStartedAt ? p : null;
        }, () => $"no round with {peer} asked at {requestedAt} ended; last seen {last}");
    }

    /// <summary>Calls <paramref name="probe"/> until it gives a value; fails after <see cref="LinkedNodes.Within"/> with what <paramref name="seen"/> says.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, Func<string> seen)
        where T : class
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < LinkedNodes.Within)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(50, Ct);
        }

        throw new TimeoutException($"Not within {LinkedNodes.Within}: {seen()}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await B.DisposeAsync();
        }
        finally
        {
            await A.DisposeAsync();
        }
    }
}
