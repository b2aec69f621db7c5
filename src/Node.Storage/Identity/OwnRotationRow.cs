namespace Node.Storage.Identity;

/// <summary>One of this node's own key rotations (<c>own_rotations</c>).</summary>
/// <param name="OldId">The node id rotated from, written form.</param>
/// <param name="NewId">The node id rotated to, written form.</param>
/// <param name="Statement">The statement's DSSE envelope, signed by both keys.</param>
/// <param name="CreatedAt">When the rotation was asked for, Unix ms.</param>
/// <param name="AppliedAt">When the new key became the node's identity, Unix ms; null while it waits for the next start.</param>
public sealed record OwnRotationRow(string OldId, string NewId, byte[] Statement, long CreatedAt, long? AppliedAt);
