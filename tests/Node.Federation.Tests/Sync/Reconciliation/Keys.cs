using Node.Federation.Sync.Reconciliation;

namespace Node.Federation.Tests.Sync.Reconciliation;

/// <summary>Seeded keys for reconciliation tests.</summary>
internal static class Keys
{
    /// <summary>A key with a random id at <paramref name="hlc"/>.</summary>
    public static SyncKey Random(Random random, ulong hlc)
    {
        Span<byte> id = stackalloc byte[SyncKey.IdLength];
        random.NextBytes(id);
        return new SyncKey(hlc, id);
    }

    /// <summary>
    /// <paramref name="count"/> keys with timestamps rising by 0 to <paramref name="maxGap"/> at random: with a small
    /// gap, runs of keys share a timestamp (0: all of them), told apart by their ids alone.
    /// </summary>
    public static List<SyncKey> Sequence(Random random, int count, ulong maxGap = 1UL << 32, ulong start = 1UL << 40)
    {
        var keys = new List<SyncKey>(count);
        var hlc = start;
        for (var i = 0; i < count; i++)
        {
            var step = (ulong)random.NextInt64((long)Math.Min(maxGap, long.MaxValue - 1) + 1);
            hlc = hlc > ulong.MaxValue - step ? hlc : hlc + step; // saturate: the last keys share the top timestamp
            keys.Add(Random(random, hlc));
        }

        return keys;
    }

    /// <summary>Splits <paramref name="keys"/> into keys both have, keys only the first has, keys only the second has.</summary>
    public static (SyncKeySet First, SyncKeySet Second) Split(Random random, IReadOnlyList<SyncKey> keys, double onlyFirst, double onlySecond)
    {
        var first = new List<SyncKey>();
        var second = new List<SyncKey>();
        foreach (var key in keys)
        {
            var roll = random.NextDouble();
            if (roll >= onlySecond + onlyFirst || roll < onlyFirst)
            {
                first.Add(key);
            }

            if (roll >= onlyFirst)
            {
                second.Add(key);
            }
        }

        return (SyncKeySet.Create(first), SyncKeySet.Create(second));
    }
}
