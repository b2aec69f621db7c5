using Node.Federation.Trust;

namespace Node.Federation.Identity;

/// <summary>The result of <see cref="ManifestBook.RotateAsync"/>.</summary>
/// <param name="Outcome">What was done.</param>
/// <param name="OldId">The id rotated from.</param>
/// <param name="NewId">The id rotated to.</param>
/// <param name="TierChanges">
/// Tiers this call changed in the registry, to apply wherever tiers are held in memory (and to end
/// calls a lowered tier no longer allows): on <see cref="RotationOutcome.Recorded"/> the new id's
/// carried tier and the old id's drop to unknown; on a newly reported <see cref="RotationOutcome.Conflicting"/>
/// the drop to unknown of the id that carried the tier. Empty otherwise.
/// </param>
/// <param name="Detail">What happened, in words (for the log and <c>peers show</c>).</param>
public sealed record RotationResult(RotationOutcome Outcome, NodeId OldId, NodeId NewId, IReadOnlyList<(NodeId Node, TrustTier Tier)> TierChanges, string Detail);
