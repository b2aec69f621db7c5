namespace Node.Reasoning.Governance;

/// <summary>Who wrote a quarantined packet, as this node sees the author.</summary>
public enum AuthorStanding
{
    /// <summary>An author this node holds at no tier that vouches for it (unknown, external, or sandbox other than the relayer).</summary>
    Other,

    /// <summary>The sandbox peer that relayed the packet wrote it itself.</summary>
    Relayer,

    /// <summary>A core peer of this node wrote it: its signature is that peer's word, whoever relayed it.</summary>
    Core,

    /// <summary>This node wrote it.</summary>
    Self,
}
