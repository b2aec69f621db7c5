using Grpc.Core;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Peers;
using Node.Protocol.Api;
using TrustTier = Node.Federation.Trust.TrustTier;

namespace Node.Daemon.Api;

/// <summary><c>sovereign.api.v1.PeerService</c>: the peers the node knows and how far it trusts them.</summary>
internal sealed class PeerApi(PeerRegistry peers, IdentityHost identity, PeerLinks links, ManifestBook manifests, TimeProvider time)
    : PeerService.PeerServiceBase
{
    public override Task<ListPeersReply> List(ListPeersRequest request, ServerCallContext context)
    {
        var reply = new ListPeersReply();
        reply.Peers.Add(peers.List().Select(ToApi));
        return Task.FromResult(reply);
    }

    public override Task<PeerDetail> Get(GetPeerRequest request, ServerCallContext context)
    {
        var id = ApiArguments.NodeId("node_id", request.NodeId);
        var entry = peers.List().FirstOrDefault(p => p.NodeId == id.ToString())
            ?? throw ApiErrors.NotFound($"No peer {id} is known here; add it ('nodectl peers add HOST:PORT --id {id}') or wait for discovery.");
        var detail = new PeerDetail { Peer = ToApi(entry) };
        if (manifests.TryGet(id, out var known))
        {
            var m = known.Manifest;
            detail.Manifest = new PeerManifestView
            {
                Name = m.Name,
                Addresses = { m.Addresses },
                PeerPort = m.PeerPort,
                Capabilities = { m.Capabilities },
                SoftwareVersion = m.SoftwareVersion,
                CertificateSha256 = Convert.ToHexStringLower(known.CertificateSha256.Span),
                IssuedAt = m.IssuedAt,
                ExpiresAt = m.ExpiresAt,
                ManifestSha256 = Convert.ToHexStringLower(known.EnvelopeSha256.Span),
                ValidNow = known.IsValidAt(time.GetUtcNow()),
            };
        }

        if (manifests.IsRetired(id, out var successor))
        {
            detail.RotatedTo = successor.ToString();
        }

        return Task.FromResult(detail);
    }

    public override async Task<Peer> Add(AddPeerRequest request, ServerCallContext context)
    {
        if (!PeerAddress.TryParse(request.Address, out var address, out var problem))
        {
            throw ApiErrors.InvalidArgument("address", problem);
        }

        NodeId? id = request.NodeId.Length == 0 ? null : ApiArguments.NodeId("node_id", request.NodeId);
        if (id is { } given && identity.IsSelf(given.ToString()))
        {
            throw ApiErrors.InvalidArgument("node_id", given == identity.Identity.Id ? "is this node's own id" : "is an id this node rotated away from (its own)");
        }

        var name = request.Name.Length == 0 ? null : ApiArguments.Text("name", request.Name, 64);
        return ToApi(await peers.AddStaticAsync(address, id, name, context.CancellationToken).ConfigureAwait(false));
    }

    public override async Task<Peer> SetTrust(SetTrustRequest request, ServerCallContext context)
    {
        var id = ApiArguments.NodeId("node_id", request.NodeId);
        var tier = request.Tier switch
        {
            Protocol.Api.TrustTier.Core => TrustTier.Core,
            Protocol.Api.TrustTier.Sandbox => TrustTier.Sandbox,
            Protocol.Api.TrustTier.External => TrustTier.External,
            Protocol.Api.TrustTier.Unknown => TrustTier.Unknown,
            _ => throw ApiErrors.InvalidArgument("tier", "must be core, sandbox, external or unknown"),
        };
        var reason = ApiArguments.Text("reason", request.Reason, 512, required: false);
        var peer = await peers.SetTrustAsync(id, tier, reason, CallerName.Describe(context), context.CancellationToken).ConfigureAwait(false);
        return peer is null
            ? throw ApiErrors.NotFound($"No peer {id} is known here; add it first ('nodectl peers add HOST:PORT --id {id}') or wait for discovery.")
            : ToApi(peer);
    }

    public override async Task<ForgetPeerReply> Forget(ForgetPeerRequest request, ServerCallContext context)
    {
        int forgotten;
        switch (request.SelectorCase)
        {
            case ForgetPeerRequest.SelectorOneofCase.NodeId:
                var id = ApiArguments.NodeId("node_id", request.NodeId);
                forgotten = await peers.ForgetAsync(id, null, context.CancellationToken).ConfigureAwait(false);
                if (forgotten > 0)
                {
                    // Its stored manifest went with it; so does the book's copy, or a new registration would never store it again.
                    manifests.Forget(id);
                }

                return forgotten > 0 ? new ForgetPeerReply { Forgotten = forgotten } : throw ApiErrors.NotFound($"No peer {id} is known here.");
            case ForgetPeerRequest.SelectorOneofCase.Address:
                if (!PeerAddress.TryParse(request.Address, out var address, out var problem))
                {
                    throw ApiErrors.InvalidArgument("address", problem);
                }

                forgotten = await peers.ForgetAsync(null, address, context.CancellationToken).ConfigureAwait(false);
                return forgotten > 0 ? new ForgetPeerReply { Forgotten = forgotten } : throw ApiErrors.NotFound($"No static peer at {address}.");
            default:
                throw ApiErrors.InvalidArgument("selector", "give a node id or an address");
        }
    }

    private Peer ToApi(PeerEntry entry)
    {
        var peer = Entry(entry);
        if (NodeId.TryParse(entry.NodeId, out var id, out _))
        {
            var link = links.Of(id);
            peer.Link = new Protocol.Api.PeerLink
            {
                State = LinkStates.Name(link.State),
                Direction = link.Direction switch
                {
                    LinkDirection.Outbound => "outbound",
                    LinkDirection.Inbound => "inbound",
                    _ => "",
                },
                RttUs = link.Rtt is { } rtt ? (long)rtt.TotalMicroseconds : 0,
                LastHeartbeatAt = link.LastHeartbeatAt?.ToUnixTimeMilliseconds() ?? 0,
                Since = link.Since?.ToUnixTimeMilliseconds() ?? 0,
                Problem = link.Problem ?? "",
                ProblemAt = link.ProblemAt?.ToUnixTimeMilliseconds() ?? 0,
                ProblemKind = LinkProblems.Name(link.ProblemKind),
            };
            if (link.ClockSkew is { } skew)
            {
                peer.Link.ClockSkewMs = (long)skew.TotalMilliseconds;
            }
        }

        return peer;
    }

    private static Peer Entry(PeerEntry peer) => new()
    {
        NodeId = peer.NodeId,
        Name = peer.Name,
        Tier = ApiTiers.ToApi(peer.Tier),
        Addresses = { peer.Addresses },
        Source = peer.Source,
        FirstSeenAt = peer.FirstSeenAt,
        LastSeenAt = peer.LastSeenAt,
    };
}
