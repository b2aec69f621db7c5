namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>One range of a parsed message: its bounds, its mode and where its payload's parts are.</summary>
/// <param name="Lower">The previous range's upper bound (inclusive), or the start of the key space.</param>
/// <param name="Upper">Its own bound (exclusive).</param>
/// <param name="Mode">What it carries.</param>
internal readonly record struct WireRange(Bound Lower, Bound Upper, RangeMode Mode)
{
    /// <summary>Offset of the fingerprint's bytes in the message (fingerprint, reply id list, id diff); -1 if none.</summary>
    public int Fingerprint { get; init; } = -1;

    /// <summary>Entries of an id list, or of the list an id diff or request answers.</summary>
    public int Count { get; init; }

    /// <summary>Bytes of each id list entry.</summary>
    public int PrefixLength { get; init; }

    /// <summary>Offset of an id list's prefixes, or of an id diff's or request's bitmap.</summary>
    public int Data { get; init; }

    /// <summary>Where the keys sent in full (id diff, ids) start in <see cref="ParsedMessage.Keys"/>.</summary>
    public int KeysStart { get; init; }

    /// <summary>How many keys were sent in full.</summary>
    public int KeyCount { get; init; }
}

/// <summary>A message that parsed and passed every structural check.</summary>
internal sealed class ParsedMessage(ReadOnlyMemory<byte> bytes, int fingerprintLength, SyncFingerprint set)
{
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public int FingerprintLength { get; } = fingerprintLength;

    /// <summary>The sender's fingerprint of its whole set, 16 bytes.</summary>
    public SyncFingerprint Set { get; } = set;

    public List<WireRange> Ranges { get; } = [];

    public List<SyncKey> Keys { get; } = [];

    /// <summary>At full strength (16-byte fingerprints) every id list carries whole ids.</summary>
    public bool Full => FingerprintLength == SyncFingerprint.Length;

    public ReadOnlySpan<byte> FingerprintOf(in WireRange range) => Bytes.Span.Slice(range.Fingerprint, FingerprintLength);

    public ReadOnlySpan<byte> EntryOf(in WireRange range, int index) => Bytes.Span.Slice(range.Data + (index * range.PrefixLength), range.PrefixLength);

    public ReadOnlySpan<byte> BitmapOf(in WireRange range) => Bytes.Span.Slice(range.Data, Wire.BitmapLength(range.Count));
}
