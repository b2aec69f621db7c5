namespace Node.Storage.Packets;

/// <summary>What verifying every packet of a store (or a backup) found.</summary>
/// <param name="Checked">Packets verified.</param>
/// <param name="Unverified">
/// Packets whose id, shape and limits verified but whose signature could not be checked: the
/// author's key is not known there. Not counted as corrupt.
/// </param>
/// <param name="Corrupt">The packets that did not verify, in receive order.</param>
public sealed record PacketScan(long Checked, long Unverified, IReadOnlyList<CorruptPacket> Corrupt)
{
    /// <summary>Whether every packet verified (or could not have its signature checked).</summary>
    public bool IsSound => Corrupt.Count == 0;
}
