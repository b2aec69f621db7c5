using System.Net;
using System.Net.Sockets;
using Node.Daemon.Tests.Support;
using Node.Federation.Identity;
using Node.Protocol.Api;
using ApiTrustTier = Node.Protocol.Api.TrustTier;

namespace Node.Daemon.Tests.Links;

/// <summary>
/// <c>federation diagnose</c> says why a wanted link is not up: a peer port nobody listens on, a
/// port that speaks something else than TLS, and a static address that was never reached.
/// </summary>
public sealed class LinkDiagnosisTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Diagnose_names_an_unreachable_peer_port_a_port_that_is_no_peer_listener_and_a_static_address_never_reached()
    {
        // A port nothing listens on (bound, then closed), and one that accepts and closes at once (not TLS).
        var closed = LinkedNodes.FreePorts(2);
        var (closedPort, unlearntPort) = (closed[0], closed[1]);
        using var rude = new TcpListener(IPAddress.Loopback, 0);
        rude.Start();
        var rudePort = ((IPEndPoint)rude.LocalEndpoint).Port;
        using var stopRude = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var rudeLoop = Task.Run(async () =>
        {
            while (!stopRude.IsCancellationRequested)
            {
                using var client = await rude.AcceptTcpClientAsync(stopRude.Token);
                await client.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.2\r\n"u8.ToArray(), stopRude.Token);
            }
        }, CancellationToken.None);

        // Beats every second: a peer whose id orders above this node's is dialled after the accept grace (two beats), not 20 s.
        await using var node = await ApiNode.StartAsync(LinkedNodes.FastLinks);
        var peers = new PeerService.PeerServiceClient(node.Channel);
        using var gone = NodeIdentity.CreateEphemeral();
        using var sshd = NodeIdentity.CreateEphemeral();
        await peers.AddAsync(new AddPeerRequest { Address = $"127.0.0.1:{closedPort}", NodeId = gone.Id.ToString(), Name = "gone" }, cancellationToken: Ct);
        await peers.AddAsync(new AddPeerRequest { Address = $"127.0.0.1:{rudePort}", NodeId = sshd.Id.ToString() }, cancellationToken: Ct);
        await peers.SetTrustAsync(new SetTrustRequest { NodeId = gone.Id.ToString(), Tier = ApiTrustTier.External, Reason = "test" }, cancellationToken: Ct);
        await peers.SetTrustAsync(new SetTrustRequest { NodeId = sshd.Id.ToString(), Tier = ApiTrustTier.Core, Reason = "test" }, cancellationToken: Ct);
        await peers.AddAsync(new AddPeerRequest { Address = $"127.0.0.1:{unlearntPort}" }, cancellationToken: Ct);

        Func<string, bool> goneHint = h => h.StartsWith($"peer {gone.Id} (gone) is not linked", StringComparison.Ordinal)
            && h.Contains("connection refused", StringComparison.Ordinal) && h.Contains("peer port is unreachable", StringComparison.Ordinal);
        Func<string, bool> sshdHint = h => h.StartsWith($"peer {sshd.Id} is not linked", StringComparison.Ordinal) && h.Contains("TLS failed", StringComparison.Ordinal);
        Func<string, bool> staticHint = h => h.StartsWith($"static peer 127.0.0.1:{unlearntPort} not reached yet", StringComparison.Ordinal)
            && h.Contains("connection refused", StringComparison.Ordinal);
        var hints = await WaitForHintsAsync(node, h => h.Any(goneHint) && h.Any(sshdHint) && h.Any(staticHint));
        Assert.Equal(1, hints.Count(goneHint));
        Assert.Equal(1, hints.Count(sshdHint));

        var list = (await peers.ListAsync(new ListPeersRequest(), cancellationToken: Ct)).Peers;
        Assert.Equal("unreachable", list.Single(p => p.NodeId == gone.Id.ToString()).Link.ProblemKind);
        Assert.Equal("tls_failed", list.Single(p => p.NodeId == sshd.Id.ToString()).Link.ProblemKind);
        Assert.False(list.Single(p => p.NodeId == gone.Id.ToString()).Link.HasClockSkewMs);

        // Trust taken back: no link is wanted, so no hint.
        await peers.SetTrustAsync(new SetTrustRequest { NodeId = gone.Id.ToString(), Tier = ApiTrustTier.Unknown, Reason = "test" }, cancellationToken: Ct);
        hints = await WaitForHintsAsync(node, h => !h.Any(l => l.StartsWith($"peer {gone.Id}", StringComparison.Ordinal)));
        Assert.Contains(hints, h => h.StartsWith($"peer {sshd.Id}", StringComparison.Ordinal));

        await stopRude.CancelAsync();
        rude.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => rudeLoop);
    }

    private static async Task<IReadOnlyList<string>> WaitForHintsAsync(ApiNode node, Func<IReadOnlyList<string>, bool> condition)
    {
        var client = new FederationService.FederationServiceClient(node.Channel);
        var started = TimeProvider.System.GetTimestamp();
        IReadOnlyList<string> hints = [];
        while (TimeProvider.System.GetElapsedTime(started) < LinkedNodes.Within)
        {
            hints = (await client.DiagnoseAsync(new DiagnoseRequest(), cancellationToken: Ct)).Hints;
            if (condition(hints))
            {
                return hints;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Not within {LinkedNodes.Within}: {string.Join(" | ", hints)}");
    }
}
