namespace Node.Federation.Trust;

/// <summary>How far a peer is trusted (ARCHITECTURE.md, "Identity, manifests and trust"). Higher is more trusted.</summary>
public enum TrustTier
{
    /// <summary>Not classified yet: manifest exchange only.</summary>
    Unknown = 0,

    /// <summary>Read-only queries; nothing is exchanged.</summary>
    External = 1,

    /// <summary>May pull shareable packets; its packets land in quarantine.</summary>
    Sandbox = 2,

    /// <summary>Full bidirectional sync; its packets land in the knowledge base.</summary>
    Core = 3,
}
