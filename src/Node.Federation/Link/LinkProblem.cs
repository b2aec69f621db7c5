namespace Node.Federation.Link;

/// <summary>
/// What kept a link from coming up, or ended it: the kind of <see cref="PeerLinkStatus.Problem"/>,
/// so <c>nodectl federation diagnose</c> can say what to look at (docs/protocol.md, "Peer link").
/// </summary>
public enum LinkProblem
{
    /// <summary>Nothing went wrong, or nothing was tried.</summary>
    None,

    /// <summary>This node was not ready to dial (its listener is not up, so it has no manifest yet).</summary>
    NotReady,

    /// <summary>The peer port did not answer: nothing listens, a firewall, no route, a timeout.</summary>
    Unreachable,

    /// <summary>TLS did not complete, or the peer closed the connection once it saw this node's certificate.</summary>
    TlsFailed,

    /// <summary>The certificate presented is not the one the peer's manifest names.</summary>
    CertificateMismatch,

    /// <summary>Another node answers at the peer's address.</summary>
    OtherNode,

    /// <summary>The peer's manifest does not hold (a bad signature, expired, issued in the future).</summary>
    BadManifest,

    /// <summary>The peer's manifest is older than one this node holds (a replay, or a restored identity).</summary>
    StaleManifest,

    /// <summary>The peer refused this node's <c>Hello</c> (its manifest, a retired id, a bad request).</summary>
    HelloRefused,

    /// <summary>The peer does not trust this node enough for a link (its tier for this node is below external).</summary>
    NotTrusted,

    /// <summary>A link that was up ended: silence, a reset, the peer stopping.</summary>
    Lost,
}

/// <summary>Link problems as nodectl and the API name them.</summary>
public static class LinkProblems
{
    /// <summary>
    /// <c>not_ready</c>, <c>unreachable</c>, <c>tls_failed</c>, <c>certificate_mismatch</c>, <c>other_node</c>,
    /// <c>bad_manifest</c>, <c>stale_manifest</c>, <c>hello_refused</c>, <c>not_trusted</c>,
    /// <c>lost</c>, or empty for none.
    /// </summary>
    public static string Name(LinkProblem problem) => problem switch
    {
        LinkProblem.NotReady => "not_ready",
        LinkProblem.Unreachable => "unreachable",
        LinkProblem.TlsFailed => "tls_failed",
        LinkProblem.CertificateMismatch => "certificate_mismatch",
        LinkProblem.OtherNode => "other_node",
        LinkProblem.BadManifest => "bad_manifest",
        LinkProblem.StaleManifest => "stale_manifest",
        LinkProblem.HelloRefused => "hello_refused",
        LinkProblem.NotTrusted => "not_trusted",
        LinkProblem.Lost => "lost",
        _ => "",
    };
}
