namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>The constants of the message format (docs/protocol.md, "Set reconciliation").</summary>
internal static class Wire
{
    /// <summary>The version byte every message starts with.</summary>
    public const byte Version = 1;

    /// <summary>Version, fingerprint length, the sender's whole-set fingerprint.</summary>
    public const int HeaderLength = 2 + SyncFingerprint.Length;

    /// <summary>A range's head: the mode in the low bits, the bound above them.</summary>
    public const int ModeBits = 3;

    public const ulong ModeMask = (1 << ModeBits) - 1;

    /// <summary>Above the mode: 0 for the end of the key space, else 1 + (mantissa ≪ 7 | shift ≪ 1 | has-id).</summary>
    public const int ShiftBits = 6;

    public const ulong ShiftMask = (1 << ShiftBits) - 1;

    /// <summary>A shift of 63 says the timestamp step follows as its own varint (the mantissa is then 0).</summary>
    public const int EscapeShift = 63;

    /// <summary>The largest mantissa kept in the head; a larger one takes the escape.</summary>
    public const ulong MaxMantissa = (1UL << 53) - 1;

    /// <summary>The bytes one key sent in full can take: its timestamp step (a varint) and its id.</summary>
    public const int MaxKeyBytes = Varint.MaxLength + SyncKey.IdLength;

    /// <summary>The fewest bytes one key sent in full takes.</summary>
    public const int MinKeyBytes = 1 + SyncKey.IdLength;

    /// <summary>Room kept in every message for the range that closes it (a skip or a deferral to the end, after a skip).</summary>
    public const int CloseReserve = 2 * (1 + Varint.MaxLength + 1 + SyncKey.IdLength);

    public const int BitsPerByte = 8;

    public static int BitmapLength(int count) => (count + BitsPerByte - 1) / BitsPerByte;

    /// <summary>Bit <paramref name="index"/> of a bitmap, least significant bit of the first byte first.</summary>
    public static bool Bit(ReadOnlySpan<byte> bitmap, int index) => (bitmap[index / BitsPerByte] & (1 << (index % BitsPerByte))) != 0;

    public static void SetBit(Span<byte> bitmap, int index) => bitmap[index / BitsPerByte] |= (byte)(1 << (index % BitsPerByte));
}
