using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Node.Reasoning.Internal;

/// <summary>Little-endian primitives into a buffer, for the pipeline's saved state.</summary>
internal readonly struct StateWriter(IBufferWriter<byte> buffer)
{
    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void Double(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        value.CopyTo(buffer.GetSpan(value.Length));
        buffer.Advance(value.Length);
    }

    public void String(string value) => Bytes(Encoding.UTF8.GetBytes(value));
}

/// <summary>Reads what <see cref="StateWriter"/> wrote; every read is bounded and fails rather than throws.</summary>
internal ref struct StateReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool AtEnd => _rest.IsEmpty;

    public bool Int32(out int value)
    {
        value = 0;
        if (_rest.Length < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt32LittleEndian(_rest);
        _rest = _rest[4..];
        return true;
    }

    public bool Int64(out long value)
    {
        value = 0;
        if (_rest.Length < 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt64LittleEndian(_rest);
        _rest = _rest[8..];
        return true;
    }

    public bool Double(out double value)
    {
        value = 0;
        if (_rest.Length < 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadDoubleLittleEndian(_rest);
        _rest = _rest[8..];
        return double.IsFinite(value);
    }

    public bool Bytes(int maxLength, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!Int32(out var length) || length < 0 || length > maxLength || length > _rest.Length)
        {
            return false;
        }

        value = _rest[..length];
        _rest = _rest[length..];
        return true;
    }

    public bool String(int maxBytes, out string value)
    {
        value = "";
        if (!Bytes(maxBytes, out var bytes))
        {
            return false;
        }

        try
        {
            value = new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
