using Node.Federation.Sync.Reconciliation;

namespace Node.Federation.Tests.Sync.Reconciliation;

/// <summary>
/// Random pairs of sets, seeded: every reconciliation must end, within the round limit, with have and need exactly
/// the two set differences, whatever the sizes, the overlap and the timestamps (distinct, equal in runs, all equal).
/// </summary>
public sealed class ReconciliationPropertyTests
{
    private const int Trials = 120;

    // Small frames and few buckets make deferrals, cut queries and deep splits happen at these sizes.
    private static readonly ReconcileOptions Tight = new()
    {
        FrameLimit = ReconcileOptions.MinFrameLimit, Buckets = 4, IdListThreshold = 4, DenseListThreshold = 16,
        MaxIdsPerList = 64, MaxRangesPerMessage = 64, MaxRounds = 10_000,
    };

    // Negentropy-like: 16-byte fingerprints and whole ids all along.
    private static readonly ReconcileOptions FullStrength = new() { FingerprintBytes = 16 };

    public static TheoryData<string> Settings => ["default", "tight", "full strength"];

    [Theory]
    [MemberData(nameof(Settings))]
    public void Have_and_need_are_exactly_the_set_differences_for_random_sets(string setting)
    {
        var options = Options(setting);
        var random = new Random(20_260_101);
        for (var trial = 0; trial < Trials; trial++)
        {
            var (initiator, responder) = RandomPair(random);
            AssertExact(initiator, responder, options, $"{setting}, trial {trial}");
        }
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Either_side_empty_or_both(string setting)
    {
        var options = Options(setting);
        var keys = SyncKeySet.Create(Keys.Sequence(new Random(4), 2_000, maxGap: 3));
        AssertExact(SyncKeySet.Empty, SyncKeySet.Empty, options, "both empty");
        AssertExact(keys, SyncKeySet.Empty, options, "responder empty");
        AssertExact(SyncKeySet.Empty, keys, options, "initiator empty");
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void All_keys_at_one_timestamp(string setting)
    {
        var random = new Random(9);
        var keys = Keys.Sequence(random, 4_000, maxGap: 0);
        var (initiator, responder) = Keys.Split(random, keys, 0.05, 0.05);
        AssertExact(initiator, responder, Options(setting), "one timestamp");
    }

    [Fact]
    public void Disjoint_sets_of_thousands()
    {
        var random = new Random(12);
        var keys = Keys.Sequence(random, 10_000, maxGap: 1000);
        var (initiator, responder) = Keys.Split(random, keys, 0.5, 0.5);
        AssertExact(initiator, responder, ReconcileOptions.Default, "disjoint");
        AssertExact(initiator, responder, Tight, "disjoint, tight");
    }

    [Fact]
    public void Ids_that_share_long_prefixes_still_reconcile_exactly()
    {
        // Ids equal in their first 8 bytes, one side each, in one small range: the id lists' 3-byte prefixes collide,
        // the range's fingerprint check catches it, and the range is listed again with whole ids.
        var random = new Random(21);
        var keys = Keys.Sequence(random, 300, maxGap: 2);
        var twin = new byte[SyncKey.IdLength];
        keys[150].CopyIdTo(twin);
        twin[^1] ^= 0x5A;
        var initiator = SyncKeySet.Create(keys);
        var responder = SyncKeySet.Create(keys.Where((_, i) => i != 150).Append(new SyncKey(keys[150].Hlc, twin)));

        var outcome = AssertExact(initiator, responder, ReconcileOptions.Default, "twins");

        Assert.False(outcome.Initiator.UsedFullStrength); // settled where it happened, not by a second pass
    }

    private static Exchange.Outcome AssertExact(SyncKeySet initiator, SyncKeySet responder, ReconcileOptions options, string what)
    {
        var outcome = Exchange.Run(initiator, responder, options);
        Assert.True(outcome.Complete, $"{what}: {outcome}");
        Assert.True(outcome.RoundTrips <= options.MaxRounds);
        Assert.Equal(initiator.Keys.ToArray().Except(responder.Keys.ToArray()).Order(), outcome.Have.Order());
        Assert.Equal(responder.Keys.ToArray().Except(initiator.Keys.ToArray()).Order(), outcome.Need.Order());
        Assert.All(outcome.Queries.Concat(outcome.Replies), m => Assert.InRange(m.Length, 1, options.FrameLimit));
        return outcome;
    }

    // Sizes 0 to 5,000; overlap from none to all; timestamps distinct, in runs of equal ones, or all equal.
    private static (SyncKeySet, SyncKeySet) RandomPair(Random random)
    {
        var size = random.Next(4) switch
        {
            0 => random.Next(0, 40),
            1 => random.Next(0, 400),
            _ => random.Next(0, 5_001),
        };
        var maxGap = random.Next(4) switch
        {
            0 => 0UL,
            1 => 1UL,
            2 => 3UL,
            _ => 1UL << random.Next(1, 62),
        };
        var keys = Keys.Sequence(random, size, maxGap, start: (ulong)random.NextInt64());
        var shares = random.Next(5) switch
        {
            0 => (0.0, 0.0),
            1 => (random.NextDouble() * 0.01, random.NextDouble() * 0.01),
            2 => (random.NextDouble() * 0.2, 0.0),
            3 => (0.0, random.NextDouble() * 0.2),
            _ => (random.NextDouble() * 0.5, random.NextDouble() * 0.5),
        };
        return Keys.Split(random, keys, shares.Item1, shares.Item2);
    }

    private static ReconcileOptions Options(string setting) => setting switch
    {
        "tight" => Tight,
        "full strength" => FullStrength,
        _ => ReconcileOptions.Default,
    };
}
