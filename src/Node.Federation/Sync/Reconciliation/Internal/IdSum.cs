using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>
/// The sum of ids read as 256-bit little-endian unsigned integers, mod 2^256 (Negentropy v1's accumulator).
/// Additive, so the sum of a range is a difference of two prefix sums and the order of ids does not matter.
/// </summary>
internal readonly record struct IdSum(ulong L0, ulong L1, ulong L2, ulong L3)
{
    /// <summary>The bytes of the sum, little-endian.</summary>
    public const int Length = 32;

    // One SHA-256 context per thread, reset after each use: a one-shot SHA256.HashData creates and frees an OpenSSL
    // context per call, which costs more than hashing the 33 bytes (about 1.0 µs against 0.6 µs a fingerprint here).
    [ThreadStatic]
    private static IncrementalHash? _sha256;

    /// <summary>One id as a sum: its bytes read little-endian (a key holds them as big-endian words).</summary>
    public static IdSum Of(in SyncKey key) => new(
        BinaryPrimitives.ReverseEndianness(key.Id0), BinaryPrimitives.ReverseEndianness(key.Id1),
        BinaryPrimitives.ReverseEndianness(key.Id2), BinaryPrimitives.ReverseEndianness(key.Id3));

    public IdSum Add(in SyncKey key) => Add(Of(key));

    public IdSum Add(IdSum other)
    {
        var s0 = L0 + other.L0;
        var c = s0 < L0 ? 1UL : 0;
        var (s1, c1) = AddWithCarry(L1, other.L1, c);
        var (s2, c2) = AddWithCarry(L2, other.L2, c1);
        var (s3, _) = AddWithCarry(L3, other.L3, c2);
        return new IdSum(s0, s1, s2, s3);
    }

    public IdSum Subtract(in SyncKey key) => Subtract(Of(key));

    // a − b = a + (~b + 1), mod 2^256.
    public IdSum Subtract(IdSum other) => Add(new IdSum(~other.L0, ~other.L1, ~other.L2, ~other.L3).Add(new IdSum(1, 0, 0, 0)));

    /// <summary>SHA-256 of the 32 little-endian bytes of the sum and the varint of <paramref name="count"/>, first 16 bytes.</summary>
    public SyncFingerprint ToFingerprint(long count)
    {
        Span<byte> input = stackalloc byte[Length + Varint.MaxLength];
        BinaryPrimitives.WriteUInt64LittleEndian(input, L0);
        BinaryPrimitives.WriteUInt64LittleEndian(input[8..], L1);
        BinaryPrimitives.WriteUInt64LittleEndian(input[16..], L2);
        BinaryPrimitives.WriteUInt64LittleEndian(input[24..], L3);
        var length = Length + Varint.Write(input[Length..], (ulong)count);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var sha256 = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(input[..length]);
        sha256.GetHashAndReset(hash);
        return SyncFingerprint.Read(hash);
    }

    private static (ulong Sum, ulong Carry) AddWithCarry(ulong a, ulong b, ulong carry)
    {
        var sum = a + b;
        var overflow = sum < a ? 1UL : 0;
        var total = sum + carry;
        return (total, overflow | (total < sum ? 1UL : 0));
    }
}
