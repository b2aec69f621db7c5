namespace Node.Reasoning.Governance;

/// <summary>What the node knows about a quarantined packet when it reviews it for promotion.</summary>
/// <param name="GuardianPromoted">Packets from the relaying peer that a guardian promoted out of quarantine before (governance's own promotions do not count: they are not labels).</param>
/// <param name="GuardianRejected">Packets from the relaying peer that a guardian rejected.</param>
/// <param name="Author">Who wrote the packet, as this node sees the author.</param>
/// <param name="Corroborated">The knowledge base holds the same content for the packet's slot from another author.</param>
/// <param name="AheadOfClock">How far the packet's timestamp is ahead of this node's clock (zero or negative when it is not).</param>
/// <param name="MediaType">The packet's media type.</param>
/// <param name="Content">The packet's content.</param>
public sealed record PromotionEvidence(long GuardianPromoted, long GuardianRejected, AuthorStanding Author, bool Corroborated,
    TimeSpan AheadOfClock, string MediaType, ReadOnlyMemory<byte> Content);
