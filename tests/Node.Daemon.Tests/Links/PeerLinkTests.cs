using Node.Daemon.Tests.Support;
using Node.Protocol.Api;
using ApiTrustTier = Node.Protocol.Api.TrustTier;
using static Node.Daemon.Tests.Links.LinkedNodes;

namespace Node.Daemon.Tests.Links;

/// <summary>
/// Three nodes on loopback that know each other by static address only: each learns the others'
/// ids from their manifests, links once both sides trust each other, measures the round trip, hears
/// a refusal when trust is taken back, and sees a stopped peer go suspect, then down, then back.
/// Heartbeats every second here (suspect at 2.5 s, down at 6 s) so the test takes seconds.
/// </summary>
public sealed class PeerLinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Static_peers_learn_each_other_link_when_trusted_and_follow_a_peer_that_stops_and_comes_back()
    {
        var ports = FreePorts(3);
        await using var a = await StartAsync(ports[0]);
        await using var b = await StartAsync(ports[1]);
        await using var c = await StartAsync(ports[2]);
        var (idA, idB, idC) = (await IdOf(a), await IdOf(b), await IdOf(c));

        await AddAsync(a, ports[1]);
        await AddAsync(a, ports[2]);
        await AddAsync(b, ports[0]);

        // Learnt from the manifests, registered unknown: no link yet.
        var learnt = await WaitForAsync(a, peers => peers.Count(p => p.NodeId.Length > 0) == 2);
        Assert.Equal(new[] { idB, idC }.Order(StringComparer.Ordinal), learnt.Select(p => p.NodeId).Order(StringComparer.Ordinal));
        Assert.All(learnt, p => Assert.Equal(ApiTrustTier.Unknown, p.Tier));
        Assert.All(learnt, p => Assert.Equal("never", p.Link.State));

        var shown = await new PeerService.PeerServiceClient(a.Channel).GetAsync(new GetPeerRequest { NodeId = idB }, cancellationToken: Ct);
        var statusB = await new NodeService.NodeServiceClient(b.Channel).GetStatusAsync(new GetStatusRequest(), cancellationToken: Ct);
        Assert.Equal((statusB.CertificateSha256, (uint)ports[1], statusB.ManifestSha256, true),
            (shown.Manifest.CertificateSha256, shown.Manifest.PeerPort, shown.Manifest.ManifestSha256, shown.Manifest.ValidNow));

        await WaitForAsync(b, peers => peers.Any(p => p.NodeId == idA));
        await TrustAsync(a, idB, ApiTrustTier.External);
        await TrustAsync(b, idA, ApiTrustTier.Core);
        var linked = await WaitForAsync(a, peers => Link(peers, idB) is { State: "connected", LastHeartbeatAt: > 0 });
        var seenFromB = await WaitForAsync(b, peers => Link(peers, idA) is { State: "connected" });
        // One link for the pair: the lower id dialled it; the other side sees it inbound.
        Assert.Contains(new[] { Link(linked, idB)!.Direction, Link(seenFromB, idA)!.Direction }, d => d == "outbound");
        Assert.Contains(new[] { Link(linked, idB)!.Direction, Link(seenFromB, idA)!.Direction }, d => d == "inbound");
        Assert.True((Link(linked, idB)!.RttUs > 0) || (Link(seenFromB, idA)!.RttUs > 0), "the dialler measures the round trip");
        // The dialler reads the other's clock from the Hello reply: one machine, one clock.
        var dialled = Link(linked, idB)!.Direction == "outbound" ? Link(linked, idB)! : Link(seenFromB, idA)!;
        Assert.True(dialled.HasClockSkewMs && Math.Abs(dialled.ClockSkewMs) < 1000, $"clock skew {dialled.ClockSkewMs} ms on one machine");
        Assert.Equal("never", Link(linked, idC)!.State); // C is unknown at A: no link

        // B stops: A's link goes suspect, then down; B comes back on the same port: connected again.
        var bAgain = await b.RestartAsync(async _ =>
        {
            // Suspect at once (the connection went), down when silent past DownAfter (6 s here).
            await WaitForAsync(a, peers => Link(peers, idB) is { State: "suspect" });
            var down = await WaitForAsync(a, peers => Link(peers, idB) is { State: "down" });
            Assert.True(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() - Link(down, idB)!.LastHeartbeatAt >= 6000, "down only after DownAfter of silence");
        });
        await using (bAgain)
        {
            await WaitForAsync(a, peers => Link(peers, idB) is { State: "connected" });

            // Trust taken back on B: the link ends, and A says why.
            await TrustAsync(bAgain, idA, ApiTrustTier.Unknown);
            var refused = await WaitForAsync(a, peers => Link(peers, idB) is { State: not "connected" } l && l.Problem.Contains("refused by the peer", StringComparison.Ordinal)
                || Link(peers, idB) is { State: not "connected" } m && m.Problem.Contains("PermissionDenied", StringComparison.Ordinal));
            Assert.Contains("'unknown' here", Link(refused, idB)!.Problem, StringComparison.Ordinal);
            Assert.Equal("not_trusted", Link(refused, idB)!.ProblemKind);
            var hints = (await new FederationService.FederationServiceClient(a.Channel).DiagnoseAsync(new DiagnoseRequest(), cancellationToken: Ct)).Hints;
            Assert.Contains(hints, h => h.StartsWith($"peer {idB}", StringComparison.Ordinal) && h.Contains("does not trust this node", StringComparison.Ordinal));
        }
    }
}
