namespace Node.Federation.Trust;

/// <summary>One packet filling a (topic, key) slot, as the current-value rule sees it.</summary>
/// <param name="Id">The packet id (32 bytes).</param>
/// <param name="AuthorTier">The trust tier of its author, as this node holds it.</param>
/// <param name="Hlc">Its hybrid-logical-clock timestamp.</param>
/// <param name="IsRetraction">Whether it is a retraction.</param>
/// <param name="Supersedes">The ids it replaces.</param>
public sealed record SlotCandidate(byte[] Id, TrustTier AuthorTier, ulong Hlc, bool IsRetraction, IReadOnlyList<byte[]> Supersedes);
