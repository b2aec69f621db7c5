using Grpc.Core;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using ApiTrustTier = Node.Protocol.Api.TrustTier;
using static Node.Daemon.Tests.Links.LinkedNodes;

namespace Node.Daemon.Tests.Links;

/// <summary>
/// A node rotates its key on purpose (<c>NodeService.RotateIdentity</c>) and restarts: its peer,
/// which held it as core, now holds the new id as core and the old one retired, and the link comes
/// up again under the new id. Heartbeats every second, as in <see cref="PeerLinkTests"/>.
/// </summary>
public sealed class IdentityRotationLinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rotated_node_is_known_by_its_new_id_at_the_same_tier_after_it_restarts()
    {
        var ports = FreePorts(2);
        var a = await StartAsync(ports[0]);
        try
        {
            await using var b = await StartAsync(ports[1]);
            var (oldA, idB) = await IntroduceAsync(a, ports[0], b, ports[1]);
            await TrustAsync(a, idB, ApiTrustTier.Core);
            await TrustAsync(b, oldA, ApiTrustTier.Core);
            await WaitForAsync(b, peers => Link(peers, oldA) is { State: "connected" });

            var node = new NodeService.NodeServiceClient(a.Channel);
            var rotated = await node.RotateIdentityAsync(new RotateIdentityRequest(), cancellationToken: Ct);
            Assert.Equal(oldA, rotated.OldNodeId);
            Assert.NotEqual(oldA, rotated.NewNodeId);
            var waiting = await node.GetIdentityAsync(new GetIdentityRequest(), cancellationToken: Ct);
            Assert.Equal((oldA, rotated.NewNodeId, 0), (waiting.NodeId, waiting.Pending.NewNodeId, waiting.Rotations.Count));
            var again = await Assert.ThrowsAsync<RpcException>(async () => await node.RotateIdentityAsync(new RotateIdentityRequest(), cancellationToken: Ct));
            Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
            Assert.Contains($"A key rotation of {oldA} to {rotated.NewNodeId} is pending", again.Status.Detail, StringComparison.Ordinal);
            Assert.Equal(oldA, await IdOf(a)); // nothing changes until the next start
            var status = await node.GetStatusAsync(new GetStatusRequest(), cancellationToken: Ct);
            Assert.Equal($"{oldA}; key rotation to {rotated.NewNodeId} pending until the next start", status.Subsystems.Single(s => s.Name == "identity").Detail);

            a = await a.RestartAsync();
            var newA = rotated.NewNodeId;
            Assert.Equal(newA, await IdOf(a));
            var shown = await new NodeService.NodeServiceClient(a.Channel).GetIdentityAsync(new GetIdentityRequest(), cancellationToken: Ct);
            var applied = Assert.Single(shown.Rotations);
            Assert.Equal((oldA, newA, true, null), (applied.OldNodeId, applied.NewNodeId, applied.AppliedAt > 0, shown.Pending));
            // The id it rotated away from is still its own: it cannot be added as a peer.
            var self = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await new PeerService.PeerServiceClient(a.Channel).AddAsync(
                new AddPeerRequest { Address = "127.0.0.1:9", NodeId = oldA }, cancellationToken: Ct));
            Assert.Equal((Grpc.Core.StatusCode.InvalidArgument, true), (self.StatusCode, self.Status.Detail.Contains("rotated away from", StringComparison.Ordinal)));

            var seen = await WaitForAsync(b, peers => peers.FirstOrDefault(p => p.NodeId == newA) is { Tier: ApiTrustTier.Core, Link.State: "connected" });
            Assert.Equal(ApiTrustTier.Unknown, seen.Single(p => p.NodeId == oldA).Tier);
            var retired = await new PeerService.PeerServiceClient(b.Channel).GetAsync(new GetPeerRequest { NodeId = oldA }, cancellationToken: Ct);
            Assert.Equal(newA, retired.RotatedTo);
            await WaitForAsync(a, peers => Link(peers, idB) is { State: "connected" });
        }
        finally
        {
            await a.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_peer_that_dials_the_old_id_follows_the_rotation_the_reply_carries()
    {
        var ports = FreePorts(2);
        var a = await StartAsync(ports[0]);
        try
        {
            await using var b = await StartAsync(ports[1]);
            var (oldA, idB) = await IntroduceAsync(a, ports[0], b, ports[1]);
            // Only B wants the link (A holds B as unknown, so A never dials): B learns of the rotation by dialling the old id.
            await TrustAsync(b, oldA, ApiTrustTier.Core);
            var rotated = await new NodeService.NodeServiceClient(a.Channel).RotateIdentityAsync(new RotateIdentityRequest(), cancellationToken: Ct);

            a = await a.RestartAsync();
            var newA = rotated.NewNodeId;

            var seen = await WaitForAsync(b, peers => peers.FirstOrDefault(p => p.NodeId == newA) is { Tier: ApiTrustTier.Core });
            Assert.Equal(ApiTrustTier.Unknown, seen.Single(p => p.NodeId == oldA).Tier);
            var retired = await new PeerService.PeerServiceClient(b.Channel).GetAsync(new GetPeerRequest { NodeId = oldA }, cancellationToken: Ct);
            Assert.Equal(newA, retired.RotatedTo);

            // Once A trusts B, the link B dials to the new id comes up.
            await TrustAsync(a, idB, ApiTrustTier.External);
            await WaitForAsync(b, peers => Link(peers, newA) is { State: "connected" });
        }
        finally
        {
            await a.DisposeAsync();
        }
    }
}
