namespace Node.Storage.Packets;

/// <summary>A stored packet whose bytes no longer verify: kept, never served or synced.</summary>
/// <param name="Id">Its id as stored (32 bytes).</param>
/// <param name="Seq">Its local receive sequence.</param>
/// <param name="Reason">What did not verify, such as "payload hashes to …, not the id it was offered under".</param>
public sealed record CorruptPacket(byte[] Id, long Seq, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Convert.ToHexStringLower(Id)} (seq {Seq}): {Reason}";
}
