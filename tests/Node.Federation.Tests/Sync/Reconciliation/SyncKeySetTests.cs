using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using Node.Federation.Sync.Reconciliation;

namespace Node.Federation.Tests.Sync.Reconciliation;

public sealed class SyncKeySetTests
{
    private static SyncKey Key(ulong hlc, byte first, byte last = 0)
    {
        var id = new byte[SyncKey.IdLength];
        id[0] = first;
        id[^1] = last;
        return new SyncKey(hlc, id);
    }

    [Fact]
    public void Keys_order_by_timestamp_then_by_id_bytes_unsigned()
    {
        Assert.True(Key(1, 0xFF) < Key(2, 0x00));
        Assert.True(Key(5, 0x01) < Key(5, 0x80)); // 0x80 is not negative
        Assert.True(Key(5, 0x01, 0x01) < Key(5, 0x01, 0xFE));
        Assert.Equal(0, Key(5, 7, 9).CompareTo(Key(5, 7, 9)));
        Assert.Equal(Key(5, 7, 9), Key(5, 7, 9));
        Assert.NotEqual(Key(5, 7, 9), Key(6, 7, 9));
    }

    [Fact]
    public void A_key_keeps_its_id_bytes_and_refuses_an_id_of_another_length()
    {
        var id = RandomNumberGenerator.GetBytes(SyncKey.IdLength);
        var key = new SyncKey(42, id);
        Assert.Equal(id, key.IdToArray());
        Assert.Equal(42UL, key.Hlc);
        Assert.Throws<ArgumentException>(() => new SyncKey(1, new byte[31]));
        Assert.False(SyncKey.TryCreate(1, new byte[33], out _));
        Assert.True(SyncKey.TryCreate(42, id, out var same) && same == key);
    }

    [Fact]
    public void A_set_is_sorted_and_without_duplicates_whatever_order_the_keys_came_in()
    {
        var random = new Random(7);
        var keys = Keys.Sequence(random, 500, maxGap: 3);
        var shuffled = keys.Concat(keys.Take(100)).OrderBy(_ => random.Next()).ToArray();

        var set = SyncKeySet.Create(shuffled);

        Assert.Equal(keys.Order(), set.Keys.ToArray());
        Assert.All(keys, k => Assert.True(set.Contains(k)));
        Assert.False(set.Contains(Key(3, 3)));
    }

    [Fact]
    public void The_builder_makes_the_same_set_as_create()
    {
        var keys = Keys.Sequence(new Random(3), 1000, maxGap: 2);
        var builder = new SyncKeySetBuilder(10);
        foreach (var key in keys.AsEnumerable().Reverse().Concat(keys.Take(5)))
        {
            builder.Add(key);
        }

        var built = builder.Build();

        Assert.Equal(SyncKeySet.Create(keys).Keys.ToArray(), built.Keys.ToArray());
        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public void Lower_bound_finds_the_first_key_at_or_above()
    {
        var set = SyncKeySet.Create([Key(1, 1), Key(3, 1), Key(3, 5), Key(9, 0)]);
        Assert.Equal(0, set.LowerBound(Key(0, 0)));
        Assert.Equal(1, set.LowerBound(Key(3, 0)));
        Assert.Equal(2, set.LowerBound(Key(3, 2)));
        Assert.Equal(2, set.LowerBound(Key(3, 5)));
        Assert.Equal(4, set.LowerBound(Key(10, 0)));
    }

    [Fact]
    public void A_search_from_any_index_finds_what_a_scan_finds()
    {
        var random = new Random(17);
        var set = SyncKeySet.Create(Keys.Sequence(random, 2_000, maxGap: 4));
        for (var trial = 0; trial < 5_000; trial++)
        {
            var from = random.Next(set.Count + 1);
            var key = random.Next(3) == 0 ? set[random.Next(set.Count)] : Keys.Random(random, set[random.Next(set.Count)].Hlc + (ulong)random.Next(-1, 2));
            var expected = from;
            while (expected < set.Count && set[expected] < key)
            {
                expected++;
            }

            Assert.Equal(expected, set.LowerBound(key, from));
        }
    }

    [Fact]
    public void The_fingerprint_is_negentropy_v1s_sha256_of_the_little_endian_sum_and_the_varint_count()
    {
        var ids = Enumerable.Range(0, 200).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        var keys = ids.Select((id, i) => new SyncKey((ulong)i, id)).ToArray();

        // The specification, by hand: little-endian 256-bit sum mod 2^256, then the count as an MSB-first varint (200 = 0x81 0x48).
        var sum = ids.Aggregate(BigInteger.Zero, (s, id) => s + new BigInteger(id, isUnsigned: true, isBigEndian: false)) % BigInteger.Pow(2, 256);
        var sumBytes = new byte[32];
        sum.TryWriteBytes(sumBytes, out _, isUnsigned: true, isBigEndian: false);
        var expected = SHA256.HashData([.. sumBytes, 0x81, 0x48])[..16];

        Assert.Equal(expected, SyncFingerprint.Of(keys).ToArray());
        Assert.Equal(expected, SyncKeySet.Create(keys).Fingerprint().ToArray());
    }

    [Fact]
    public void The_fingerprint_of_any_index_range_is_that_of_its_keys()
    {
        var random = new Random(11);
        var set = SyncKeySet.Create(Keys.Sequence(random, 300, maxGap: 5));
        for (var trial = 0; trial < 500; trial++)
        {
            var start = random.Next(set.Count + 1);
            var end = random.Next(start, set.Count + 1);
            Assert.Equal(SyncFingerprint.Of(set.Keys[start..end]), set.Fingerprint(start, end));
        }
    }

    [Fact]
    public void The_fingerprint_is_additive_not_xor_an_id_twice_does_not_cancel_out()
    {
        var random = new Random(5);
        var a = Keys.Random(random, 1);
        var b = Keys.Random(random, 2);
        var c = Keys.Random(random, 3);

        Assert.Equal(SyncFingerprint.Of([a, b, c]), SyncFingerprint.Of([c, a, b])); // order independent
        Assert.NotEqual(SyncFingerprint.Of([]), SyncFingerprint.Of([a, a])); // XOR would make these equal
        Assert.NotEqual(SyncFingerprint.Of([b]), SyncFingerprint.Of([a, a, b]));
        Assert.NotEqual(SyncFingerprint.Of([a]), SyncFingerprint.Of([a, a]));
        Assert.Equal(SyncFingerprint.Of([a]), SyncKeySet.Create([a, a]).Fingerprint()); // the set drops the duplicate
    }

    [Fact]
    public void Ids_that_sum_to_the_same_value_still_differ_by_their_count()
    {
        // x + y = z mod 2^256 with {x, y} and {z} different sets: the count (hashed in) tells them apart.
        var x = new byte[32];
        var y = new byte[32];
        var z = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(x, 5);
        BinaryPrimitives.WriteUInt64LittleEndian(y, 7);
        BinaryPrimitives.WriteUInt64LittleEndian(z, 12);
        Assert.NotEqual(SyncFingerprint.Of([new SyncKey(1, x), new SyncKey(2, y)]), SyncFingerprint.Of([new SyncKey(3, z)]));
    }

    [Fact]
    public void The_sum_wraps_mod_2_to_the_256()
    {
        // 0xFF…FF + 1 = 0: the set {max, one} has the fingerprint of a zero sum and count 2.
        var max = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var one = new byte[32];
        one[0] = 1;
        var expected = SHA256.HashData([.. new byte[32], 2])[..16];
        Assert.Equal(expected, SyncFingerprint.Of([new SyncKey(1, max), new SyncKey(2, one)]).ToArray());
    }
}
