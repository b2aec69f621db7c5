namespace Node.Federation.Identity;

/// <summary>What <see cref="ManifestBook.RotateAsync"/> did with a verified key rotation statement.</summary>
public enum RotationOutcome
{
    /// <summary>Accepted: the new id carries the old id's tier, the old id is retired (event <c>peer.rotated</c>).</summary>
    Recorded,

    /// <summary>This rotation (the same old id to the same new id) was accepted before; nothing changed.</summary>
    Known,

    /// <summary>
    /// Refused: another rotation of the old id was accepted before. Reported the first time (event
    /// <c>peer.rotation_conflict</c>, the id carrying the tier dropped to unknown); nothing changes after.
    /// </summary>
    Conflicting,

    /// <summary>The old id is no peer of ours: nothing is learnt from it (trust never propagates).</summary>
    NotRegistered,

    /// <summary>Refused for another reason, in <see cref="RotationResult.Detail"/> (the new id was itself rotated away).</summary>
    Refused,
}
