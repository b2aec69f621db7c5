// RFC 1035 §4.1.4 (name compression), RFC 6762 §18.14 (compression inside PTR, SRV and NSEC rdata).
using System.Buffers.Binary;
using System.Text;

namespace Node.Federation.Discovery.Dns.Internal;

/// <summary>
/// Writes a message into a span, compressing names against those already written. Every method
/// returns false when the span is full; the writer is then done with.
/// </summary>
internal ref struct DnsWireWriter
{
    // A pointer holds 14 bits of offset; names written past this cannot be pointed to.
    private const int MaxPointerOffset = 0x3FFF;

    private readonly Span<byte> _buffer;
    private Dictionary<NameSuffix, int>? _names;

    public DnsWireWriter(Span<byte> buffer) => _buffer = buffer;

    public int Position { get; private set; }

    public bool TryWriteUInt16(ushort value)
    {
        if (!Has(2))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], value);
        Position += 2;
        return true;
    }

    public bool TryWriteUInt32(uint value)
    {
        if (!Has(4))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Position..], value);
        Position += 4;
        return true;
    }

    public bool TryWriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (!bytes.TryCopyTo(_buffer[Position..]))
        {
            return false;
        }

        Position += bytes.Length;
        return true;
    }

    /// <summary>Writes <paramref name="value"/> over two bytes already written at <paramref name="offset"/>.</summary>
    public readonly void PatchUInt16(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[offset..], value);

    /// <summary>Writes a name, ending in a pointer to the longest suffix already written.</summary>
    public bool TryWriteName(DnsName name)
    {
        var labels = name.Labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var suffix = new NameSuffix(labels, i);
            if (_names is not null && _names.TryGetValue(suffix, out var offset))
            {
                return TryWriteUInt16((ushort)(0xC000 | offset));
            }

            if (Position < MaxPointerOffset)
            {
                (_names ??= new Dictionary<NameSuffix, int>(16)).TryAdd(suffix, Position);
            }

            if (!TryWriteLabel(labels[i]))
            {
                return false;
            }
        }

        if (!Has(1))
        {
            return false;
        }

        _buffer[Position++] = 0;
        return true;
    }

    private bool TryWriteLabel(string label)
    {
        if (!Has(1) || !Encoding.UTF8.TryGetBytes(label, _buffer[(Position + 1)..], out var length))
        {
            return false;
        }

        _buffer[Position] = (byte)length;
        Position += 1 + length;
        return true;
    }

    private readonly bool Has(int bytes) => _buffer.Length - Position >= bytes;
}
