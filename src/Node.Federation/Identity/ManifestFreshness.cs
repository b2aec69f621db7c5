namespace Node.Federation.Identity;

/// <summary>
/// How a verified manifest compares with the newest one the <see cref="ManifestBook"/> holds for its
/// node (docs/protocol.md, "Peer link"). Only <see cref="Newer"/> and <see cref="Same"/> are accepted.
/// </summary>
public enum ManifestFreshness
{
    /// <summary>Issued later than the one held, or the first seen of its node: it becomes the current one.</summary>
    Newer,

    /// <summary>The very one held (same issued-at, same bytes): every reconnect sends it again.</summary>
    Same,

    /// <summary>Issued earlier than the one held: a replay, refused.</summary>
    Older,

    /// <summary>Issued at the same moment as the one held but with other bytes: two manifests claim one instant; refused.</summary>
    Conflicting,

    /// <summary>Its node id was rotated away (<see cref="ManifestBook.IsRetired"/>): nothing of it is accepted.</summary>
    Retired,
}
