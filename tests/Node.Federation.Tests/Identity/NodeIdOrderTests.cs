using System.Security.Cryptography;
using CsCheck;
using Node.Federation.Identity;

namespace Node.Federation.Tests.Identity;

/// <summary>Node ids order by their digest bytes: the peer link's tie-break rests on both sides computing the same order.</summary>
public sealed class NodeIdOrderTests
{
    private static readonly Gen<byte[]> Key = Gen.Byte.Array[32];

    [Fact]
    public void Ids_order_as_their_16_digest_bytes_compared_unsigned_and_big_endian() =>
        Gen.Select(Key, Key).Sample((a, b) =>
        {
            var expected = Math.Sign(Digest(a).AsSpan().SequenceCompareTo(Digest(b)));
            var (x, y) = (NodeId.FromPublicKey(a), NodeId.FromPublicKey(b));
            return Math.Sign(x.CompareTo(y)) == expected && Math.Sign(y.CompareTo(x)) == -expected
                && (x < y) == (expected < 0) && (x > y) == (expected > 0) && (x <= y) == (expected <= 0) && (x >= y) == (expected >= 0);
        }, iter: 5000);

    [Fact]
    public void Digits_order_after_letters_as_the_digest_bits_they_carry_do()
    {
        // Digests differing in their first 5 bits: 0b11111 ("7") against 0b00000 ("A"); ordinal
        // order of the characters ('7' < 'A') would have it backwards.
        var (high, low) = (FirstWith(d => d[0] >= 0xF8), FirstWith(d => d[0] < 0x08));

        Assert.StartsWith("7", high.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("A", low.ToString(), StringComparison.Ordinal);
        Assert.True(low < high);
        Assert.True(high.CompareTo(low) > 0);
    }

    [Fact]
    public void Equal_ids_compare_as_zero_and_the_empty_id_comes_first()
    {
        var id = NodeId.Parse("MW3AM46-W5WEEXI-4A4FQRC-3AVNUAV");

        Assert.Equal(0, id.CompareTo(NodeId.Parse("mw3am46w5weexi4a4fqrc3avnuav")));
        Assert.Equal(0, default(NodeId).CompareTo(default));
        Assert.True(default(NodeId) < id);
        Assert.True(id.CompareTo(default) > 0);
    }

    [Fact]
    public void Sorting_ids_sorts_their_digests() =>
        Key.Array[2, 40].Sample(keys =>
            keys.Select(k => NodeId.FromPublicKey(k)).Order()
                .SequenceEqual(keys.OrderBy(Digest, Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).Select(k => NodeId.FromPublicKey(k))),
            iter: 300);

    private static NodeId FirstWith(Func<byte[], bool> wanted)
    {
        var random = new Random(7);
        var key = new byte[32];
        while (true)
        {
            random.NextBytes(key);
            if (wanted(Digest(key)))
            {
                return NodeId.FromPublicKey(key);
            }
        }
    }

    private static byte[] Digest(byte[] key) => SHA256.HashData(key)[..NodeId.DigestLength];
}
