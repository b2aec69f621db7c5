using Node.Federation.Identity;
using Node.Federation.Trust;
using Node.Storage;
using Node.Storage.Events.Payloads;
using Node.Storage.Peers;

namespace Node.Federation.Peers;

/// <summary>
/// The peers the node knows (discovered or registered, with their trust tier) and the static
/// addresses an operator added: what changes, and the event that records each change.
/// </summary>
public sealed class PeerRegistry(NodeStore store)
{
    // The tiers as of a generation; a write bumps the generation, so a snapshot read before it is never used after it.
    private volatile TierSnapshot? _tiers;
    private int _generation;

    /// <summary>
    /// Raised after a peer's tier changed (set, or the peer forgotten: unknown), once the change is
    /// committed; the peer link ends what the new tier no longer allows. Handlers must not block.
    /// </summary>
    public event Action<NodeId, TrustTier>? TierChanged;

    /// <summary>
    /// The tier this node gives <paramref name="nodeId"/>: unknown for any node not registered.
    /// Lock-free (a snapshot replaced after each change): the peer link asks it on every call.
    /// </summary>
    public TrustTier TierOf(NodeId nodeId) => Tiers().GetValueOrDefault(nodeId.ToString(), TrustTier.Unknown);

    /// <summary>The tier of <paramref name="nodeId"/> in its written form (a packet's author); unknown when it is not registered or not an id. Lock-free, as <see cref="TierOf(NodeId)"/>.</summary>
    public TrustTier TierOf(string nodeId) => Tiers().GetValueOrDefault(nodeId, TrustTier.Unknown);

    /// <summary>Whether <paramref name="nodeId"/> is a registered peer (any tier). Lock-free, as <see cref="TierOf(NodeId)"/>.</summary>
    public bool IsRegistered(NodeId nodeId) => Tiers().ContainsKey(nodeId.ToString());

    /// <summary>
    /// Takes note of tiers changed in the store by another writer than this registry (a key rotation
    /// carrying a tier, retiring an id): the next <see cref="TierOf(NodeId)"/> reads them, and <see cref="TierChanged"/> is raised for each.
    /// </summary>
    public void NoteTierChanges(IEnumerable<NodeId> nodeIds)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        Changed([.. nodeIds.Select(id => id.ToString())]);
    }

    private IReadOnlyDictionary<string, TrustTier> Tiers()
    {
        var generation = Volatile.Read(ref _generation);
        if (_tiers is { } snapshot && snapshot.Generation == generation)
        {
            return snapshot.Tiers;
        }

        using var reader = store.OpenReader();
        var tiers = reader.Peers.List().Where(p => p.NodeId.Length > 0)
            .ToDictionary(p => p.NodeId, p => ParseTier(p.Tier), StringComparer.Ordinal);
        _tiers = new TierSnapshot(generation, tiers);
        return tiers;
    }

    private sealed record TierSnapshot(int Generation, IReadOnlyDictionary<string, TrustTier> Tiers);

    // After a write that may have changed tiers: the next TierOf reads them again, then the peers' tiers are told.
    private void Changed(IEnumerable<string> nodeIds)
    {
        Interlocked.Increment(ref _generation);
        if (TierChanged is not { } handlers)
        {
            return;
        }

        foreach (var id in nodeIds)
        {
            if (NodeId.TryParse(id, out var parsed, out _))
            {
                handlers(parsed, TierOf(parsed));
            }
        }
    }

    /// <summary>Every peer: registered ones, then static addresses whose node id is not known yet.</summary>
    public IReadOnlyList<PeerEntry> List()
    {
        using var reader = store.OpenReader();
        return [.. reader.Peers.List().Select(Entry)];
    }

    /// <summary>
    /// Adds a static peer at <paramref name="address"/> (already normalized by <see cref="PeerAddress"/>);
    /// with <paramref name="nodeId"/> the peer is registered at once, tier unknown. Adding the same
    /// address again updates its id and name.
    /// </summary>
    public async Task<PeerEntry> AddStaticAsync(string address, NodeId? nodeId, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var id = nodeId?.ToString();
        await store.Writer.WriteAsync(context =>
        {
            context.Peers.UpsertStatic(address, id, name, context.Now);
            if (id is not null)
            {
                context.Peers.RegisterStatic(id, name, context.Now);
            }

            context.AppendEvent(new PeerAddedEvent(address, id));
        }, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _generation);
        return List().First(p => id is not null ? p.NodeId == id : p.Addresses.Contains(address));
    }

    /// <summary>
    /// Records a peer mDNS found at <paramref name="addresses"/> (<c>host:port</c> forms). A new peer is
    /// registered (tier unknown, source <c>mdns</c>; event <c>peer.discovered</c>); a known one keeps its
    /// tier, source and name and gets the addresses and last-seen time (event <c>peer.changed</c> only
    /// when the addresses changed).
    /// </summary>
    /// <param name="nodeId">The node id its TXT record gave.</param>
    /// <param name="name">A name for a new peer (the name its TXT gives, else its mDNS host name); a known peer's name is kept.</param>
    /// <param name="addresses">Where it answered, in the order to try.</param>
    /// <param name="cancellationToken">Gives up waiting for the writer.</param>
    public async Task<PeerEntry> RecordDiscoveredAsync(NodeId nodeId, string name, IReadOnlyList<string> addresses,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfEqual(nodeId.IsEmpty, true, nameof(nodeId));
        var id = nodeId.ToString();
        await store.Writer.WriteAsync(context =>
        {
            var before = context.Peers.AddressesOf(id);
            if (before is null)
            {
                context.Peers.InsertDiscovered(id, name, addresses, context.Now);
                context.AppendEvent(new PeerDiscoveredEvent(id, addresses));
                return;
            }

            context.Peers.UpdateSeen(id, name, addresses, context.Now);
            if (!string.Equals(before, string.Join('\n', addresses), StringComparison.Ordinal))
            {
                context.AppendEvent(new PeerChangedEvent(id, addresses));
            }
        }, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _generation);
        return List().First(p => p.NodeId == id);
    }

    /// <summary>
    /// Records that a peer mDNS had found is gone (goodbye or expired records): event <c>peer.lost</c>.
    /// The peer stays known. False, with nothing recorded, when no peer has that id.
    /// </summary>
    public Task<bool> RecordLostAsync(NodeId nodeId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(nodeId.IsEmpty, true, nameof(nodeId));
        var id = nodeId.ToString();
        return store.Writer.WriteAsync(context =>
        {
            if (context.Peers.TierOf(id) is null)
            {
                return false;
            }

            context.AppendEvent(new PeerLostEvent(id));
            return true;
        }, cancellationToken);
    }

    /// <summary>Sets the trust tier of a registered peer; null when no peer has that id.</summary>
    public async Task<PeerEntry?> SetTrustAsync(NodeId nodeId, TrustTier tier, string reason, string by, CancellationToken cancellationToken = default)
    {
        var id = nodeId.ToString();
        var changed = await store.Writer.WriteAsync(context =>
        {
            if (context.Peers.TierOf(id) is not { } from)
            {
                return false;
            }

            context.Peers.SetTier(id, TierName(tier));
            context.AppendEvent(new PeerTrustChangedEvent(id, from, TierName(tier), by, reason));
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            Changed([id]);
        }

        return changed ? List().First(p => p.NodeId == id) : null;
    }

    /// <summary>Forgets a peer by node id (and its static addresses) or a static address; returns how many entries went.</summary>
    public async Task<int> ForgetAsync(NodeId? nodeId, string? address, CancellationToken cancellationToken = default)
    {
        var id = nodeId?.ToString();
        var removed = await store.Writer.WriteAsync(context =>
        {
            var removed = (id is null ? 0 : context.Peers.Delete(id)) + (address is null ? 0 : context.Peers.DeleteStatic(address));
            if (removed > 0)
            {
                context.AppendEvent(new PeerForgottenEvent(id, address));
            }

            return removed;
        }, cancellationToken).ConfigureAwait(false);
        if (removed > 0 && id is not null)
        {
            Changed([id]);
        }

        return removed;
    }

    /// <summary>The tier's name as stored.</summary>
    public static string TierName(TrustTier tier) => tier switch
    {
        TrustTier.Core => "core",
        TrustTier.Sandbox => "sandbox",
        TrustTier.External => "external",
        _ => "unknown",
    };

    /// <summary>The tier a stored name stands for; anything but core, sandbox or external is unknown.</summary>
    internal static TrustTier ParseTier(string name) => name switch
    {
        "core" => TrustTier.Core,
        "sandbox" => TrustTier.Sandbox,
        "external" => TrustTier.External,
        _ => TrustTier.Unknown,
    };

    private static PeerEntry Entry(PeerRow row) =>
        new(row.NodeId, row.Name, ParseTier(row.Tier), row.Addresses, row.Source, row.FirstSeen, row.LastSeen);
}
