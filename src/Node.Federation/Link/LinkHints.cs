using Node.Federation.Identity;
using Node.Federation.Peers;
using Node.Federation.Trust;

namespace Node.Federation.Link;

/// <summary>
/// What an operator should look at when a peer link is not up (<c>nodectl federation diagnose</c>):
/// one hint per peer this node wants a link to (tier external or above) whose last attempt failed,
/// naming the peer, what failed and where to look; one per static address not reached yet; one per
/// linked peer whose clock is off. Empty when nothing looks wrong.
/// </summary>
public static class LinkHints
{
    /// <summary>The hints for the peers in <paramref name="registry"/> as <paramref name="links"/> sees them.</summary>
    /// <param name="registry">The peer registry's entries.</param>
    /// <param name="links">The links.</param>
    /// <param name="self">This node's id: its own entry, if any, is not a peer.</param>
    public static IReadOnlyList<string> For(IReadOnlyList<PeerEntry> registry, PeerLinks links, NodeId self)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(links);
        var hints = new List<string>();
        foreach (var entry in registry)
        {
            if (entry.Tier < TrustTier.External || !NodeId.TryParse(entry.NodeId, out var id, out _) || id == self)
            {
                continue;
            }

            var link = links.Of(id);
            var who = entry.Name.Length > 0 ? $"peer {id} ({entry.Name})" : $"peer {id}";
            if (entry.Addresses.Count == 0 && link.State != LinkState.Connected)
            {
                hints.Add($"{who}: no address known (not announced on mDNS, none added): add one with 'nodectl peers add HOST:PORT --id {id}'");
            }
            else if (link.State != LinkState.Connected && link.Problem is { } problem && For(link.ProblemKind) is { } look)
            {
                hints.Add($"{who} is not linked ({LinkStates.Name(link.State)}): {problem}; {look}");
            }

            if (link.ClockSkew is { } skew && skew.Duration() >= Clocks.NoticeableSkew)
            {
                hints.Add($"{who}: its clock is {Clocks.Describe(skew)} this node's; manifests expire and are refused by the clock (5 min of skew allowed): " +
                    "set both clocks right (NTP, or by hand on an offline LAN)");
            }
        }

        foreach (var learning in links.Learning())
        {
            hints.Add($"static peer {learning.Address} not reached yet (its node id is learnt on the first link): {learning.Problem}; " +
                (For(learning.Kind) ?? "see 'nodectl peers list'"));
        }

        return hints;
    }

    // Where to look, by what failed.
    private static string? For(LinkProblem kind) => kind switch
    {
        LinkProblem.Unreachable =>
            "the peer port is unreachable: is the node running, is its peer port (Federation:PeerPort, 'nodectl status' there) open in its firewall, is the address current?",
        LinkProblem.TlsFailed =>
            "TLS failed: the peer may hold an older manifest of this node (it refuses this certificate until this node's Hello reaches it), " +
            "or something else answers on that port",
        LinkProblem.CertificateMismatch =>
            "the certificate presented is not the one its manifest names (pin check failed): another machine at that address, or the node was reinstalled; " +
            "'nodectl peers show' has the fingerprint this node expects",
        LinkProblem.OtherNode => "another node answers at that address: the address is stale (a new DHCP lease?); remove it with 'nodectl peers forget --address'",
        LinkProblem.BadManifest => "its manifest does not hold (expired or issued in the future: check both clocks; or a bad signature)",
        LinkProblem.StaleManifest => "it answered with an older manifest than one this node holds: a replayed manifest, or its identity restored from an old backup",
        LinkProblem.HelloRefused => "it refused this node's Hello: its log says why (a retired id, a manifest it refuses)",
        LinkProblem.NotTrusted => "it does not trust this node for a link: on that node, 'nodectl peers trust' this node's id at external or above",
        LinkProblem.Lost => "the link was up and ended; it is dialled again after a back-off",
        _ => null,
    };
}
