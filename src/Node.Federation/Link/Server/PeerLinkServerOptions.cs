namespace Node.Federation.Link.Server;

/// <summary>How the answering side of a link behaves (its defaults are documented in docs/protocol.md, "Peer link").</summary>
public sealed class PeerLinkServerOptions
{
    /// <summary>A Heartbeat stream that hears nothing for this long is ended by the answering side: 60 s.</summary>
    public TimeSpan SilentStreamEnd { get; set; } = TimeSpan.FromSeconds(60);
}
