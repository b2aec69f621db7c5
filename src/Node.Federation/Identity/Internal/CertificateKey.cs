using System.Buffers.Binary;

namespace Node.Federation.Identity.Internal;

/// <summary>A certificate's SHA-256 as a dictionary key: two 128-bit halves, compared by value, no allocation per lookup.</summary>
internal readonly record struct CertificateKey(UInt128 High, UInt128 Low)
{
    public const int Length = 32;

    /// <summary>The key of a 32-byte hash; false for any other length.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> sha256, out CertificateKey key)
    {
        key = default;
        if (sha256.Length != Length)
        {
            return false;
        }

        key = new CertificateKey(BinaryPrimitives.ReadUInt128BigEndian(sha256), BinaryPrimitives.ReadUInt128BigEndian(sha256[16..]));
        return true;
    }
}
