namespace Node.Federation.Link;

/// <summary>The methods of the peer protocol (<c>sovereign.peer.v1.PeerService</c>), as the tier table names them.</summary>
public enum PeerMethod
{
    /// <summary>Manifests both ways: the first call on every connection.</summary>
    Hello,

    /// <summary>The link's liveness stream.</summary>
    Heartbeat,

    /// <summary>Read-only current values of slots in the caller's view.</summary>
    Query,

    /// <summary>Sync: the caller's view after its cursor, one page.</summary>
    CatchUp,

    /// <summary>Sync: one round of set reconciliation over the caller's view.</summary>
    Reconcile,

    /// <summary>Sync: packets of the caller's view by id.</summary>
    Fetch,
}

/// <summary>The peer protocol's method paths.</summary>
public static class PeerMethods
{
    /// <summary>The gRPC service's full name.</summary>
    public const string ServiceName = "sovereign.peer.v1.PeerService";

    /// <summary>Whether <paramref name="method"/> serves the caller's view by sync (it ends when the view changes).</summary>
    public static bool IsSync(PeerMethod method) => method is PeerMethod.CatchUp or PeerMethod.Reconcile or PeerMethod.Fetch;

    /// <summary>Every method.</summary>
    public static IReadOnlyList<PeerMethod> All { get; } = Enum.GetValues<PeerMethod>();

    /// <summary>The method an HTTP/2 request path names (<c>/sovereign.peer.v1.PeerService/Hello</c>); false for anything else. Never throws.</summary>
    public static bool TryFromPath(string? path, out PeerMethod method)
    {
        method = default;
        var prefix = "/" + ServiceName + "/";
        if (path is null || !path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var name = path.AsSpan(prefix.Length);
        foreach (var candidate in All)
        {
            if (name.SequenceEqual(candidate.ToString()))
            {
                method = candidate;
                return true;
            }
        }

        return false;
    }
}
