using System.Diagnostics;

namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>
/// Builds one message: the header, then ranges in key order, each bound encoded from the previous one. A gap before
/// a range becomes a skip range. <see cref="Save"/> and <see cref="Restore"/> take back what does not fit.
/// </summary>
internal sealed class MessageWriter
{
    private const int InitialCapacity = 256;

    private byte[] _buffer = new byte[InitialCapacity];
    private Bound _written = Bound.Start;

    public int Length { get; private set; }

    public int Ranges { get; private set; }

    /// <summary>Where a position in the message can be taken back to.</summary>
    public readonly record struct Mark(int Length, int Ranges, Bound Written);

    public Mark Save() => new(Length, Ranges, _written);

    public void Restore(Mark mark)
    {
        Length = mark.Length;
        Ranges = mark.Ranges;
        _written = mark.Written;
    }

    public void Header(int fingerprintLength, SyncFingerprint set)
    {
        Debug.Assert(Length == 0);
        Byte(Wire.Version);
        Byte((byte)fingerprintLength);
        set.CopyTo(Grow(SyncFingerprint.Length));
    }

    /// <summary>Starts the range [<paramref name="lower"/>, <paramref name="upper"/>); its payload follows.</summary>
    public void Range(in Bound lower, in Bound upper, RangeMode mode)
    {
        Debug.Assert(lower >= _written && upper > lower, $"range {lower}..{upper} after {_written}");
        if (lower > _written)
        {
            Head(lower, RangeMode.Skip);
        }

        Head(upper, mode);
    }

    /// <summary>Closes the message with a skip to the end of the key space if it does not reach it yet.</summary>
    public byte[] Finish()
    {
        if (!_written.IsEnd)
        {
            Head(Bound.End, RangeMode.Skip);
        }

        return _buffer.AsSpan(0, Length).ToArray();
    }

    public void Byte(byte value) => Grow(1)[0] = value;

    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    public void Varint(ulong value)
    {
        Span<byte> digits = stackalloc byte[Internal.Varint.MaxLength];
        Bytes(digits[..Internal.Varint.Write(digits, value)]);
    }

    /// <summary>The first <paramref name="length"/> bytes of <paramref name="fingerprint"/>.</summary>
    public void Fingerprint(SyncFingerprint fingerprint, int length)
    {
        Span<byte> bytes = stackalloc byte[SyncFingerprint.Length];
        fingerprint.CopyTo(bytes);
        Bytes(bytes[..length]);
    }

    /// <summary>The first <paramref name="length"/> bytes of <paramref name="key"/>'s id.</summary>
    public void Prefix(in SyncKey key, int length)
    {
        Span<byte> id = stackalloc byte[SyncKey.IdLength];
        key.CopyIdTo(id);
        Bytes(id[..length]);
    }

    /// <summary>A key in full: its timestamp's step from <paramref name="previousHlc"/>, then its id.</summary>
    public void Key(in SyncKey key, ref ulong previousHlc)
    {
        Debug.Assert(key.Hlc >= previousHlc);
        Varint(key.Hlc - previousHlc);
        previousHlc = key.Hlc;
        key.CopyIdTo(Grow(SyncKey.IdLength));
    }

    // The head: a varint with the mode in its low bits and the bound above them (Wire), then the bound's id prefix.
    private void Head(in Bound bound, RangeMode mode)
    {
        Ranges++;
        if (bound.IsEnd)
        {
            Varint((ulong)mode);
            _written = bound;
            return;
        }

        var step = bound.Key.Hlc - _written.Key.Hlc;
        var shift = step == 0 ? 0 : (int)ulong.TrailingZeroCount(step);
        var mantissa = step >> shift;
        var escape = shift == Wire.EscapeShift || mantissa > Wire.MaxMantissa;
        var hasId = bound.IdLength > 0 ? 1UL : 0;
        var fields = escape ? ((ulong)Wire.EscapeShift << 1) | hasId : (mantissa << (Wire.ShiftBits + 1)) | ((ulong)shift << 1) | hasId;
        Varint(((fields + 1) << Wire.ModeBits) | (ulong)mode);
        if (escape)
        {
            Varint(step);
        }

        if (bound.IdLength > 0)
        {
            Byte((byte)bound.IdLength);
            Prefix(bound.Key, bound.IdLength);
        }

        _written = bound;
    }

    private Span<byte> Grow(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
