namespace Node.Federation.Link;

/// <summary>
/// The state of the link to one peer, as <c>nodectl peers list</c> shows it (docs/protocol.md,
/// "Peer link"). Liveness never changes trust: a peer that is <see cref="Down"/> keeps its tier and
/// stays in the registry.
/// </summary>
public enum LinkState
{
    /// <summary>No link was ever up with this peer since the node started (none wanted, none made yet, or every attempt failed).</summary>
    Never,

    /// <summary>A dial is under way: TCP, TLS and <c>Hello</c>, up to the first heartbeat stream.</summary>
    Connecting,

    /// <summary>The link is up and a beat arrived within <see cref="PeerLinkOptions.SuspectAfter"/>.</summary>
    Connected,

    /// <summary>
    /// The link may be failing: no beat for <see cref="PeerLinkOptions.SuspectAfter"/>, or the
    /// transport under it was lost. The peer is still in the active set.
    /// </summary>
    Suspect,

    /// <summary>No beat for <see cref="PeerLinkOptions.DownAfter"/>: the peer has left the active set (never the registry).</summary>
    Down,
}

/// <summary>Link states as nodectl and the API name them.</summary>
public static class LinkStates
{
    /// <summary><c>never</c>, <c>connecting</c>, <c>connected</c>, <c>suspect</c> or <c>down</c>.</summary>
    public static string Name(LinkState state) => state switch
    {
        LinkState.Connecting => "connecting",
        LinkState.Connected => "connected",
        LinkState.Suspect => "suspect",
        LinkState.Down => "down",
        _ => "never",
    };
}
