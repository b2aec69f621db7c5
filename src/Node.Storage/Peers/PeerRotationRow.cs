namespace Node.Storage.Peers;

/// <summary>A key rotation statement as stored: one accepted (<c>peer_rotations</c>) or one refused as competing (<c>peer_rotation_conflicts</c>).</summary>
/// <param name="OldId">The node id rotated from, written form.</param>
/// <param name="NewId">The node id rotated to, written form.</param>
/// <param name="Statement">The statement's DSSE envelope, signed by both keys.</param>
/// <param name="At">When it was accepted, or first refused, Unix ms.</param>
public sealed record PeerRotationRow(string OldId, string NewId, byte[] Statement, long At);
