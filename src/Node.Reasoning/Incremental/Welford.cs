namespace Node.Reasoning.Incremental;

/// <summary>
/// Running mean and variance by Welford's algorithm (Knuth, TAOCP vol. 2, 4.2.2): one pass,
/// O(1) per value, numerically stable even when the values share a large offset.
/// </summary>
public struct Welford
{
    // Values are taken relative to the first one (or to a restored mean): the running mean of the
    // shifted values stays small, so its rounding does not leak into M2 when the values share a
    // large offset (1e8 ± 1 would otherwise lose about half of M2's digits).
    private double _shift;
    private double _mean;
    private double _m2;

    /// <summary>How many values were added.</summary>
    public long Count { readonly get; private set; }

    /// <summary>The mean of the values; 0 when there are none.</summary>
    public readonly double Mean => _shift + _mean;

    /// <summary>The population variance (divided by n); NaN with no values.</summary>
    public readonly double PopulationVariance => Count > 0 ? _m2 / Count : double.NaN;

    /// <summary>The sample variance (divided by n − 1); NaN with fewer than two values.</summary>
    public readonly double SampleVariance => Count > 1 ? _m2 / (Count - 1) : double.NaN;

    /// <summary>The sample standard deviation; NaN with fewer than two values.</summary>
    public readonly double SampleStdDev => Math.Sqrt(SampleVariance);

    /// <summary>Adds one value.</summary>
    public void Add(double value)
    {
        if (Count == 0)
        {
            _shift = value;
        }

        Count++;
        var shifted = value - _shift;
        var delta = shifted - _mean;
        _mean += delta / Count;
        _m2 += delta * (shifted - _mean);
    }

    /// <summary>The state as (count, mean, sum of squared deviations), to persist it.</summary>
    public readonly (long Count, double Mean, double M2) Save() => (Count, Mean, _m2);

    /// <summary>Restores a state <see cref="Save"/> returned.</summary>
    public static Welford Restore(long count, double mean, double m2) =>
        count > 0 ? new() { Count = count, _shift = mean, _m2 = Math.Max(0, m2) } : default;
}
