using System.Diagnostics;

namespace Node.Federation.Sync.Reconciliation.Internal;

/// <summary>A sub-range of a split: the keys at [Start, End) of the splitting side's set, between two bounds.</summary>
internal readonly record struct Bucket(int Start, int End, Bound Lower, Bound Upper);

/// <summary>What either side does with a range whose fingerprints differ: list its ids, or split it.</summary>
internal static class Splitting
{
    // "Most of a split's sub-ranges differ": at least DenseNumerator / DenseDenominator of a run of at least MinDenseRun.
    private const int MinDenseRun = 4;
    private const int DenseNumerator = 3;
    private const int DenseDenominator = 4;

    /// <summary>
    /// Whether a range is in a dense neighbourhood: most of the run of fingerprints it came in (the sub-ranges of the
    /// other side's splits) differ too, so most of its keys likely differ.
    /// </summary>
    public static bool Dense(int runLength, int runMismatches) =>
        runLength >= MinDenseRun && runMismatches * DenseDenominator >= runLength * DenseNumerator;

    /// <summary>
    /// Whether to send a differing range of <paramref name="count"/> keys as an id list rather than split it: when it
    /// is small, or, in a dense neighbourhood, moderately small (splitting it down would cost rounds and save
    /// little); and only if a list of it fits in a message.
    /// </summary>
    public static bool ShouldList(int count, bool dense, int listCapacity, ReconcileOptions options) =>
        count <= listCapacity && (count <= options.IdListThreshold || (dense && count <= options.DenseListThreshold));

    /// <summary>The most keys one list of <paramref name="prefixLength"/>-byte entries may carry in a message.</summary>
    public static int ListCapacity(int prefixLength, ReconcileOptions options) =>
        Math.Min(options.MaxIdsPerList, (options.FrameLimit - Wire.HeaderLength - (4 * Wire.CloseReserve)) / prefixLength);

    /// <summary>
    /// Splits the keys at [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="set"/> into
    /// <see cref="ReconcileOptions.Buckets"/> buckets of equal size (the first ones one larger), Negentropy's way; each
    /// inner bound is the cheapest one between the buckets' neighbouring keys (<see cref="Bound.Between"/>).
    /// </summary>
    public static void Split(SyncKeySet set, int start, int end, Bound lower, Bound upper, int buckets, List<Bucket> into)
    {
        var count = end - start;
        Debug.Assert(count >= buckets, $"splitting {count} keys into {buckets}");
        var keys = set.Keys;
        int size = count / buckets, larger = count % buckets;
        var at = start;
        var from = lower;
        for (var i = 0; i < buckets; i++)
        {
            var next = at + size + (i < larger ? 1 : 0);
            var to = next == end ? upper : Bound.Between(keys[next - 1], keys[next], from.Key.Hlc);
            into.Add(new Bucket(at, next, from, to));
            at = next;
            from = to;
        }
    }
}
