using Node.Reasoning.Incremental;

namespace Node.Reasoning.Indicators;

/// <summary>
/// z-score of a return against the <c>window</c> returns before it (sample mean and standard deviation,
/// the return itself excluded); NaN until that many earlier returns exist, or when they have no spread.
/// </summary>
internal sealed class ReturnZScore(int window)
{
    private readonly RollingMoments _earlier = new(window);

    public double Value { get; private set; } = double.NaN;

    /// <summary>Takes this bar's return; NaN (the first bar's) is skipped.</summary>
    public void Update(double logReturn)
    {
        if (double.IsNaN(logReturn))
        {
            return;
        }

        var deviation = Math.Sqrt(_earlier.SampleVariance);
        Value = _earlier.IsFull && deviation > 0 ? (logReturn - _earlier.Mean) / deviation : double.NaN;
        _earlier.Add(logReturn);
    }
}
