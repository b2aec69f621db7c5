namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>
/// Negentropy v1's varint: base-128 digits, most significant first, the high bit set on every byte but the last.
/// Read strictly: at most 10 bytes, no leading zero digit (one spelling per value), no overflow past 64 bits.
/// </summary>
internal static class Varint
{
    /// <summary>The longest varint of a 64-bit value.</summary>
    public const int MaxLength = 10;

    private const int DigitBits = 7;
    private const byte DigitMask = 0x7F;
    private const byte More = 0x80;

    /// <summary>The bytes <paramref name="value"/> takes.</summary>
    public static int Length(ulong value)
    {
        var bits = 64 - ulong.LeadingZeroCount(value | 1);
        return (int)((bits + DigitBits - 1) / DigitBits);
    }

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        var length = Length(value);
        for (var i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)((value & DigitMask) | (i == length - 1 ? 0u : More));
            value >>= DigitBits;
        }

        return length;
    }

    /// <summary>Reads a varint at <paramref name="position"/> and moves past it.</summary>
    /// <returns><see cref="ReconcileError.None"/>, or why the bytes there are not a varint (and <paramref name="problem"/> says it).</returns>
    public static ReconcileError TryRead(ReadOnlySpan<byte> source, ref int position, out ulong value, out string? problem)
    {
        value = 0;
        problem = null;
        for (var i = 0; i < MaxLength; i++)
        {
            if (position >= source.Length)
            {
                problem = "the message ends inside a varint";
                return ReconcileError.Truncated;
            }

            var b = source[position++];
            if (i == 0 && b == More)
            {
                problem = "a varint starts with a zero digit";
                return ReconcileError.BadVarint;
            }

            if (value >> (64 - DigitBits) != 0)
            {
                problem = "a varint overflows 64 bits";
                return ReconcileError.BadVarint;
            }

            value = (value << DigitBits) | (uint)(b & DigitMask);
            if ((b & More) == 0)
            {
                return ReconcileError.None;
            }
        }

        problem = $"a varint is longer than {MaxLength} bytes";
        return ReconcileError.BadVarint;
    }
}
