using System.Buffers.Binary;
using System.Globalization;

namespace Node.Federation.Sync.Reconciliation;

/// <summary>
/// One item of a reconciliation set: a packet's hybrid-logical-clock timestamp (signed inside the packet) and its
/// 32-byte id (the SHA-256 of its payload). Keys order by timestamp, then by id bytes, unsigned and lexicographic:
/// the same order on every node, never anything local such as a receive sequence.
/// </summary>
/// <remarks>
/// Stored as five 64-bit words (the id as four big-endian words, so comparing words compares bytes): 40 bytes, no
/// allocation. An id determines its timestamp (both come from the same signed payload); reconciliation relies on it.
/// </remarks>
public readonly struct SyncKey : IEquatable<SyncKey>, IComparable<SyncKey>
{
    /// <summary>The length of an id, in bytes.</summary>
    public const int IdLength = 32;

    private const int WordBytes = sizeof(ulong);

    private readonly ulong _id0, _id1, _id2, _id3;

    /// <summary>Makes a key of a timestamp and an id.</summary>
    /// <param name="hlc">The packet's hybrid-logical-clock timestamp, as packets carry it.</param>
    /// <param name="id">The packet's id, <see cref="IdLength"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not 32 bytes long.</exception>
    public SyncKey(ulong hlc, ReadOnlySpan<byte> id)
    {
        if (id.Length != IdLength)
        {
            throw new ArgumentException($"An id is {IdLength} bytes; was {id.Length}.", nameof(id));
        }

        Hlc = hlc;
        _id0 = BinaryPrimitives.ReadUInt64BigEndian(id);
        _id1 = BinaryPrimitives.ReadUInt64BigEndian(id[WordBytes..]);
        _id2 = BinaryPrimitives.ReadUInt64BigEndian(id[(2 * WordBytes)..]);
        _id3 = BinaryPrimitives.ReadUInt64BigEndian(id[(3 * WordBytes)..]);
    }

    internal SyncKey(ulong hlc, ulong id0, ulong id1, ulong id2, ulong id3)
    {
        Hlc = hlc;
        _id0 = id0;
        _id1 = id1;
        _id2 = id2;
        _id3 = id3;
    }

    /// <summary>The hybrid-logical-clock timestamp.</summary>
    public ulong Hlc { get; }

    internal ulong Id0 => _id0;

    internal ulong Id1 => _id1;

    internal ulong Id2 => _id2;

    internal ulong Id3 => _id3;

    /// <summary>Makes a key of untrusted input without throwing.</summary>
    /// <returns>False when <paramref name="id"/> is not 32 bytes long.</returns>
    public static bool TryCreate(ulong hlc, ReadOnlySpan<byte> id, out SyncKey key)
    {
        key = id.Length == IdLength ? new SyncKey(hlc, id) : default;
        return id.Length == IdLength;
    }

    /// <summary>Writes the id's 32 bytes to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void CopyIdTo(Span<byte> destination)
    {
        if (destination.Length < IdLength)
        {
            throw new ArgumentException($"An id needs {IdLength} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _id0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[WordBytes..], _id1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[(2 * WordBytes)..], _id2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[(3 * WordBytes)..], _id3);
    }

    /// <summary>The id as a new 32-byte array.</summary>
    public byte[] IdToArray()
    {
        var id = new byte[IdLength];
        CopyIdTo(id);
        return id;
    }

    /// <inheritdoc />
    public int CompareTo(SyncKey other) =>
        Hlc != other.Hlc ? Hlc.CompareTo(other.Hlc)
        : _id0 != other._id0 ? _id0.CompareTo(other._id0)
        : _id1 != other._id1 ? _id1.CompareTo(other._id1)
        : _id2 != other._id2 ? _id2.CompareTo(other._id2)
        : _id3.CompareTo(other._id3);

    /// <inheritdoc />
    public bool Equals(SyncKey other) =>
        Hlc == other.Hlc && _id0 == other._id0 && _id1 == other._id1 && _id2 == other._id2 && _id3 == other._id3;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SyncKey other && Equals(other);

    // HashCode's per-process seed: ids can come from the network, and crafted ones must not collide on purpose.
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Hlc, _id0, _id1, _id2, _id3);

    /// <summary>The timestamp and the id in lower-case hex, e.g. <c>123:ab…</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Hlc}:{Convert.ToHexStringLower(IdToArray())}");

    /// <summary>Equality.</summary>
    public static bool operator ==(SyncKey left, SyncKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(SyncKey left, SyncKey right) => !left.Equals(right);

    /// <summary>Order.</summary>
    public static bool operator <(SyncKey left, SyncKey right) => left.CompareTo(right) < 0;

    /// <summary>Order.</summary>
    public static bool operator >(SyncKey left, SyncKey right) => left.CompareTo(right) > 0;

    /// <summary>Order.</summary>
    public static bool operator <=(SyncKey left, SyncKey right) => left.CompareTo(right) <= 0;

    /// <summary>Order.</summary>
    public static bool operator >=(SyncKey left, SyncKey right) => left.CompareTo(right) >= 0;
}
