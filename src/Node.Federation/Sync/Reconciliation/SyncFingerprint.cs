using System.Buffers.Binary;
using Node.Federation.Sync.Reconciliation.Internal;

namespace Node.Federation.Sync.Reconciliation;

/// <summary>
/// The fingerprint of a set of ids, as Negentropy v1 defines it: the ids read as 256-bit little-endian unsigned
/// integers are added mod 2^256; the 32 bytes of the sum, little-endian, followed by the varint of the number of ids,
/// are hashed with SHA-256; the first 16 bytes are the fingerprint.
/// </summary>
/// <remarks>
/// Additive, so the fingerprint of any range of a <see cref="SyncKeySet"/> costs O(1) from prefix sums, and the order
/// of ids does not matter. Not XOR: an id counted twice does not cancel out, and the count is hashed in. Reconciliation
/// may send the first 4 to 16 bytes of it (<see cref="ReconcileOptions.FingerprintBytes"/>); it always confirms the
/// result against the full 16 bytes of the whole set's (docs/protocol.md, "Set reconciliation").
/// </remarks>
public readonly struct SyncFingerprint : IEquatable<SyncFingerprint>
{
    /// <summary>The length of a fingerprint, in bytes.</summary>
    public const int Length = 16;

    private readonly UInt128 _value; // the 16 bytes big-endian: the first bytes are the high bits

    private SyncFingerprint(UInt128 value) => _value = value;

    /// <summary>The fingerprint of <paramref name="keys"/>' ids as given: nothing is removed, an id twice counts twice.</summary>
    public static SyncFingerprint Of(ReadOnlySpan<SyncKey> keys)
    {
        var sum = default(IdSum);
        foreach (var key in keys)
        {
            sum = sum.Add(key);
        }

        return sum.ToFingerprint(keys.Length);
    }

    /// <summary>Writes the 16 bytes to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 16 bytes.</exception>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"A fingerprint needs {Length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt128BigEndian(destination, _value);
    }

    /// <summary>The 16 bytes as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    internal static SyncFingerprint Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt128BigEndian(source));

    /// <summary>Whether the first <c>wire.Length</c> bytes (1 to 16) of this fingerprint are <paramref name="wire"/>.</summary>
    internal bool StartsWith(ReadOnlySpan<byte> wire)
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, _value);
        return bytes.StartsWith(wire);
    }

    /// <inheritdoc />
    public bool Equals(SyncFingerprint other) => _value == other._value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SyncFingerprint other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>The 16 bytes in lower-case hex.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToArray());

    /// <summary>Equality.</summary>
    public static bool operator ==(SyncFingerprint left, SyncFingerprint right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(SyncFingerprint left, SyncFingerprint right) => !left.Equals(right);
}
