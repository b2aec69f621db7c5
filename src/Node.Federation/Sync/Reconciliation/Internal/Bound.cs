namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>
/// A point in key space that ranges end at: a timestamp and an id prefix (the rest of the id zero), or the end of
/// the space, above every key. A range runs from the previous range's bound (inclusive) to its own (exclusive).
/// </summary>
internal readonly struct Bound : IEquatable<Bound>
{
    private Bound(SyncKey key, int idLength, bool isEnd)
    {
        Key = key;
        IdLength = idLength;
        IsEnd = isEnd;
    }

    /// <summary>The lowest point, where the first range starts: timestamp 0, id all zeros.</summary>
    public static Bound Start => default;

    /// <summary>Above every key.</summary>
    public static Bound End { get; } = new(default, 0, isEnd: true);

    /// <summary>The timestamp and the id, zero past <see cref="IdLength"/>; meaningless at <see cref="End"/>.</summary>
    public SyncKey Key { get; }

    /// <summary>How many leading bytes of the id are significant, 0 to 32.</summary>
    public int IdLength { get; }

    public bool IsEnd { get; }

    public static Bound Of(ulong hlc, ReadOnlySpan<byte> prefix)
    {
        Span<byte> id = stackalloc byte[SyncKey.IdLength];
        prefix.CopyTo(id);
        return new Bound(new SyncKey(hlc, id), prefix.Length, isEnd: false);
    }

    /// <summary>
    /// The bound between two neighbouring keys (<paramref name="previous"/> below it, <paramref name="current"/> at or
    /// above it) that costs least to send after a bound at timestamp <paramref name="lowerHlc"/>: where the timestamps
    /// differ, the timestamp in (previous, current] whose distance from <paramref name="lowerHlc"/> has the most
    /// trailing zero bits, with no id; where they are equal, current's shortest id prefix above previous's id.
    /// </summary>
    public static Bound Between(in SyncKey previous, in SyncKey current, ulong lowerHlc)
    {
        if (previous.Hlc != current.Hlc)
        {
            var low = previous.Hlc - lowerHlc; // exclusive
            var high = current.Hlc - lowerHlc; // inclusive
            var bit = 63 - (int)ulong.LeadingZeroCount(low ^ high); // the highest bit where they differ: set in high
            var rounded = high & ~((1UL << bit) - 1);
            return new Bound(new SyncKey(lowerHlc + rounded, 0, 0, 0, 0), 0, isEnd: false);
        }

        var length = CommonPrefix(previous, current) + 1;
        return new Bound(IdPrefix.Mask(current, length), length, isEnd: false);
    }

    /// <summary>Where <paramref name="key"/> lies: negative when the bound is below it, 0 at it, positive above.</summary>
    public int CompareTo(in SyncKey key) => IsEnd ? 1 : Key.CompareTo(key);

    public int CompareTo(in Bound other) =>
        IsEnd || other.IsEnd ? IsEnd.CompareTo(other.IsEnd) : Key.CompareTo(other.Key);

    public bool Equals(Bound other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is Bound other && Equals(other);

    public override int GetHashCode() => IsEnd ? 1 : Key.GetHashCode();

    public override string ToString() => IsEnd ? "end" : $"{Key.Hlc}/{Convert.ToHexStringLower(Key.IdToArray().AsSpan(0, IdLength))}";

    /// <summary>The index of the first key of <paramref name="set"/> at or above this bound, searching from <paramref name="from"/>.</summary>
    public int IndexIn(SyncKeySet set, int from) => IsEnd ? set.Count : set.LowerBound(Key, from);

    public static bool operator ==(Bound left, Bound right) => left.Equals(right);

    public static bool operator !=(Bound left, Bound right) => !left.Equals(right);

    public static bool operator <(Bound left, Bound right) => left.CompareTo(right) < 0;

    public static bool operator >(Bound left, Bound right) => left.CompareTo(right) > 0;

    public static bool operator <=(Bound left, Bound right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Bound left, Bound right) => left.CompareTo(right) >= 0;

    private static int CommonPrefix(in SyncKey a, in SyncKey b) =>
        a.Id0 != b.Id0 ? SameBytes(a.Id0, b.Id0)
        : a.Id1 != b.Id1 ? 8 + SameBytes(a.Id1, b.Id1)
        : a.Id2 != b.Id2 ? 16 + SameBytes(a.Id2, b.Id2)
        : 24 + SameBytes(a.Id3, b.Id3);

    private static int SameBytes(ulong a, ulong b) => (int)ulong.LeadingZeroCount(a ^ b) / 8;
}
