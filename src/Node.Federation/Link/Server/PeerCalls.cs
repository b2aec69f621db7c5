using System.Collections.Concurrent;
using Node.Federation.Identity;
using Node.Federation.Trust;

namespace Node.Federation.Link.Server;

/// <summary>
/// The peer calls open now, by caller: when a caller's tier changes, each of its calls the new tier
/// no longer allows is revoked at once (streams included: they end with PERMISSION_DENIED).
/// Thread-safe.
/// </summary>
public sealed class PeerCalls
{
    private readonly ConcurrentDictionary<NodeId, ConcurrentDictionary<PeerCall, byte>> _open = new();

    /// <summary>Calls open now.</summary>
    public int Count => _open.Values.Sum(c => c.Count);

    /// <summary>Registers an admitted call; disposing it unregisters it.</summary>
    public PeerCall Open(NodeId caller, TrustTier tier, PeerMethod method, CancellationToken aborted)
    {
        var call = new PeerCall(caller, tier, method, caller.IsEmpty ? null : Close, aborted);
        if (!caller.IsEmpty)
        {
            _open.GetOrAdd(caller, _ => new())[call] = 0;
        }

        return call;
    }

    /// <summary>The calls of <paramref name="caller"/> open now.</summary>
    public IReadOnlyList<PeerCall> Of(NodeId caller) => _open.TryGetValue(caller, out var calls) ? [.. calls.Keys] : [];

    /// <summary>Revokes every open call of <paramref name="caller"/> that <paramref name="tier"/> does not allow.</summary>
    /// <returns>The calls revoked.</returns>
    public IReadOnlyList<PeerCall> OnTierChanged(NodeId caller, TrustTier tier)
    {
        var revoked = new List<PeerCall>();
        foreach (var call in Of(caller))
        {
            if (!PeerPermissions.Allows(tier, call.Method))
            {
                call.Revoke($"{call.Method} needs tier {PeerRegistryNames.Of(PeerPermissions.Minimum(call.Method))}; node {caller} is now " +
                    $"'{PeerRegistryNames.Of(tier)}' here");
                revoked.Add(call);
            }
            else if (PeerMethods.IsSync(call.Method) && PeerPermissions.SyncView(tier) != PeerPermissions.SyncView(call.Tier))
            {
                // A sync call serves the view it was admitted with: a wider or narrower one starts a new call.
                call.Revoke($"{call.Method}: node {caller} is now '{PeerRegistryNames.Of(tier)}' here, its view changed");
                revoked.Add(call);
            }
        }

        return revoked;
    }

    /// <summary>Revokes every open call (the node is stopping).</summary>
    public void RevokeAll(string reason)
    {
        foreach (var calls in _open.Values)
        {
            foreach (var call in calls.Keys)
            {
                call.Revoke(reason, Grpc.Core.StatusCode.Unavailable);
            }
        }
    }

    private void Close(PeerCall call)
    {
        if (_open.TryGetValue(call.Caller, out var calls))
        {
            calls.TryRemove(call, out _);
        }
    }
}

/// <summary>Tier names as operators write them (<c>nodectl peers trust ID core</c>).</summary>
internal static class PeerRegistryNames
{
    public static string Of(TrustTier tier) => Peers.PeerRegistry.TierName(tier);
}
