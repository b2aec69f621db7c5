using Node.Federation.Sync.Reconciliation;

namespace Node.Benchmarks;

/// <summary>
/// The data of a reconciliation case: a union of keys, generated twice from one seed (so no third copy of a million
/// keys is held), each key on both sides or on one side only.
/// </summary>
internal static partial class ReconcileBench
{
    private const int Seed = 17;

    // 2026-01-01T00:00:00Z in Unix milliseconds: the hybrid clock's physical part, shifted past its 16-bit counter.
    private const long StartMilliseconds = 1_767_225_600_000;
    private const int CounterBits = 16;

    // One packet in five shares its millisecond with the one before (the counter steps); the others come after a gap
    // of 1 ms to 6 s, uniform (3 s on average): a million packets span about five weeks.
    private const double SameMillisecond = 0.2;
    private const int MaxGapMilliseconds = 6000;

    /// <summary>A case: <paramref name="Union"/> keys; <paramref name="Owner"/> says, for a key that differs (by index in the union), which side has it.</summary>
    private sealed record Case(string Name, int Union, Func<int, Side?> Owner, string Goal, int GoalRoundTrips, long GoalBytes);

    private enum Side : byte
    {
        Initiator,
        Responder,
    }

    private static Case[] Cases(int items) =>
    [
        new("in sync", items, _ => null, "1 round trip, ≤ 512 B", 1, 512),
        new("1 difference", items, i => i == (items / 2) + 12_345 ? Side.Responder : null, "≤ 3 round trips, ≤ 3 KB", 3, 3_000),
        Differences("1,000 differences, newest", items, 1_000, newest: true, "≤ 4 round trips, ≤ 64 KB", 4, 64_000),
        Differences("1,000 differences, random", items, 1_000, newest: false, "≤ 600 KB", int.MaxValue, 600_000),
        Differences("100,000 differences, random", items, 100_000, newest: false, "≤ 32 MB (every id once)", int.MaxValue, 32_000_000),
    ];

    // Beyond the goals: one side far behind. Bytes compared with every key the responder has sent once (40 B).
    private static Case[] Extras(int items) =>
    [
        new("initiator lacks the newest 100,000", items, i => i >= items - 100_000 ? Side.Responder : null, "none (each key once: 4 MB)", int.MaxValue, 100_000L * 40),
        new("initiator empty", items, _ => Side.Responder, "none (each key once: 40 MB)", int.MaxValue, (long)items * 40),
    ];

    // `count` differences, half on each side (chosen at random), among the newest keys of the union or anywhere in it.
    // Each side keeps `items` keys: the union has count / 2 more.
    private static Case Differences(string name, int items, int count, bool newest, string goal, int roundTrips, long bytes)
    {
        var union = items + (count / 2);
        var random = new Random(Seed + count + (newest ? 1 : 0));
        var indices = newest ? Enumerable.Range(union - count, count).ToArray() : Distinct(random, union, count);
        random.Shuffle(indices);
        var sides = new Dictionary<int, Side>();
        for (var i = 0; i < indices.Length; i++)
        {
            sides[indices[i]] = i < count / 2 ? Side.Initiator : Side.Responder;
        }

        return new Case(name, union, i => sides.TryGetValue(i, out var side) ? side : null, goal, roundTrips, bytes);
    }

    private static int[] Distinct(Random random, int range, int count)
    {
        var chosen = new HashSet<int>();
        while (chosen.Count < count)
        {
            chosen.Add(random.Next(range));
        }

        return [.. chosen];
    }

    /// <summary>The keys of <paramref name="side"/>, built into a set; the keys only it has are added to <paramref name="only"/>.</summary>
    private static SyncKeySet Build(Case @case, Side side, List<SyncKey> only)
    {
        var builder = new SyncKeySetBuilder(@case.Union);
        var index = 0;
        foreach (var key in Union(@case.Union))
        {
            var owner = @case.Owner(index++);
            if (owner is null)
            {
                builder.Add(key);
            }
            else if (owner == side)
            {
                builder.Add(key);
                only.Add(key);
            }
        }

        return builder.Build();
    }

    // The same keys every time: timestamps from the hybrid clock of a node receiving packets, random ids.
    private static IEnumerable<SyncKey> Union(int count)
    {
        var random = new Random(Seed);
        var id = new byte[SyncKey.IdLength];
        var milliseconds = StartMilliseconds;
        var counter = 0;
        for (var i = 0; i < count; i++)
        {
            if (random.NextDouble() < SameMillisecond)
            {
                counter++;
            }
            else
            {
                milliseconds += random.Next(1, MaxGapMilliseconds + 1);
                counter = 0;
            }

            random.NextBytes(id);
            yield return new SyncKey(((ulong)milliseconds << CounterBits) | (uint)counter, id);
        }
    }
}
