namespace Node.Federation.Clock;

/// <summary>A hybrid-logical-clock timestamp: Unix milliseconds in the upper 48 bits, a counter in the lower 16.</summary>
/// <param name="Value">The packed value, as packets carry it.</param>
public readonly record struct HybridTimestamp(ulong Value) : IComparable<HybridTimestamp>
{
    /// <summary>The largest counter.</summary>
    public const int MaxCounter = ushort.MaxValue;

    /// <summary>Packs milliseconds and a counter.</summary>
    public static HybridTimestamp From(long unixMilliseconds, int counter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixMilliseconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(unixMilliseconds, (1L << 48) - 1);
        ArgumentOutOfRangeException.ThrowIfNegative(counter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(counter, MaxCounter);
        return new HybridTimestamp(((ulong)unixMilliseconds << 16) | (uint)counter);
    }

    /// <summary>The physical part, Unix milliseconds.</summary>
    public long UnixMilliseconds => (long)(Value >> 16);

    /// <summary>The logical counter.</summary>
    public int Counter => (int)(Value & 0xFFFF);

    /// <inheritdoc />
    public int CompareTo(HybridTimestamp other) => Value.CompareTo(other.Value);

    /// <summary>Order.</summary>
    public static bool operator <(HybridTimestamp left, HybridTimestamp right) => left.Value < right.Value;

    /// <summary>Order.</summary>
    public static bool operator >(HybridTimestamp left, HybridTimestamp right) => left.Value > right.Value;

    /// <summary>Order.</summary>
    public static bool operator <=(HybridTimestamp left, HybridTimestamp right) => left.Value <= right.Value;

    /// <summary>Order.</summary>
    public static bool operator >=(HybridTimestamp left, HybridTimestamp right) => left.Value >= right.Value;

    /// <inheritdoc />
    public override string ToString() =>
        $"{DateTimeOffset.FromUnixTimeMilliseconds(UnixMilliseconds):yyyy-MM-ddTHH:mm:ss.fffZ}+{Counter}";
}
