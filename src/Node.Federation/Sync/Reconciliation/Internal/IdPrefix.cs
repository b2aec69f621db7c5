namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>The first bytes of an id, the rest zero: how id lists name keys, compared by value.</summary>
internal readonly record struct IdPrefix(ulong W0, ulong W1, ulong W2, ulong W3)
{
    // A list's prefixes are long enough that a key of the other side matches one by chance with a probability of
    // about n / 2^(8p) ≤ 2^-16 for a list of n; a chance match is caught by the range's fingerprint check.
    private const int MarginBits = 16;

    /// <summary>The prefix length, in bytes, for a list of <paramref name="count"/> ids: 3 up to 255 ids, 4 up to 65,535; 32 at full strength.</summary>
    public static int LengthFor(int count, bool full) =>
        full ? SyncKey.IdLength : Math.Min(SyncKey.IdLength, (64 - (int)ulong.LeadingZeroCount((ulong)count) + MarginBits + 7) / 8);

    public static IdPrefix Of(in SyncKey key, int length)
    {
        var masked = Mask(key, length);
        return new IdPrefix(masked.Id0, masked.Id1, masked.Id2, masked.Id3);
    }

    /// <summary>A prefix as sent: <paramref name="bytes"/> is its 1 to 32 bytes.</summary>
    public static IdPrefix Read(ReadOnlySpan<byte> bytes)
    {
        Span<byte> id = stackalloc byte[SyncKey.IdLength];
        bytes.CopyTo(id);
        var key = new SyncKey(0, id);
        return new IdPrefix(key.Id0, key.Id1, key.Id2, key.Id3);
    }

    /// <summary><paramref name="key"/> with its id zero past <paramref name="length"/> bytes.</summary>
    public static SyncKey Mask(in SyncKey key, int length) =>
        new(key.Hlc, key.Id0 & WordMask(length, 0), key.Id1 & WordMask(length, 1), key.Id2 & WordMask(length, 2), key.Id3 & WordMask(length, 3));

    // Keeps the bytes of word `word` (8 bytes, big-endian) that fall within the first `length` bytes of the id.
    private static ulong WordMask(int length, int word)
    {
        var bytes = Math.Clamp(length - (8 * word), 0, 8);
        return bytes == 0 ? 0 : ulong.MaxValue << (64 - (8 * bytes));
    }
}
