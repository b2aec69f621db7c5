namespace Node.Daemon.Reasoning;

/// <summary>
/// Latencies in a log-scale histogram (8 buckets per doubling from 1 ns, so a percentile is within 9% of the truth):
/// O(1) to record, fixed memory. Not thread-safe.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int PerDoubling = 8;
    private readonly long[] _buckets = new long[64 * PerDoubling];
    private double _sum;

    public long Count { get; private set; }

    public double MaxNanoseconds { get; private set; }

    public void Record(double nanoseconds)
    {
        nanoseconds = Math.Max(1, nanoseconds);
        var bucket = Math.Clamp((int)(Math.Log2(nanoseconds) * PerDoubling), 0, _buckets.Length - 1);
        _buckets[bucket]++;
        Count++;
        _sum += nanoseconds;
        MaxNanoseconds = Math.Max(MaxNanoseconds, nanoseconds);
    }

    public double MeanNanoseconds => Count > 0 ? _sum / Count : double.NaN;

    /// <summary>The <paramref name="quantile"/> (0–1), ns: the upper edge of the bucket it falls in; NaN when empty.</summary>
    public double QuantileNanoseconds(double quantile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(quantile * Count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return Math.Min(MaxNanoseconds, Math.Pow(2, (i + 1) / (double)PerDoubling));
            }
        }

        return MaxNanoseconds;
    }
}
