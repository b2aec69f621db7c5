namespace Node.Storage.Events;

/// <summary>The result of walking the event log's hash chain.</summary>
/// <param name="Verified">How many entries were checked and chain.</param>
/// <param name="HeadSeq">The last good entry's sequence (0 for an empty log).</param>
/// <param name="HeadHash">The last good entry's hash (the genesis hash for an empty log).</param>
/// <param name="FirstBadSeq">The first entry that does not chain, or <see langword="null"/> when the chain is intact.</param>
/// <param name="Problem">What is wrong with it, for people.</param>
public sealed record ChainVerification(long Verified, long HeadSeq, byte[] HeadHash, long? FirstBadSeq, string? Problem)
{
    /// <summary>Whether every entry checked chains.</summary>
    public bool IsIntact => FirstBadSeq is null;

    /// <inheritdoc />
    public override string ToString() => IsIntact
        ? $"event log intact: {Verified} entries verified, head {HeadSeq} {Convert.ToHexStringLower(HeadHash)}"
        : $"event log broken at entry {FirstBadSeq}: {Problem}";
}
