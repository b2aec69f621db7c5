namespace Node.Reasoning.Indicators;

/// <summary>
/// The features of a market series at its latest bar, as <c>MarketIndicators</c> keeps them.
/// Every value is NaN while its indicator is warming up (TA-Lib's lookback).
/// </summary>
public struct MarketFeatures
{
    /// <summary>No bar seen: a count of 0 and every value NaN.</summary>
    internal static readonly MarketFeatures BeforeAnyBar = new()
    {
        Close = double.NaN,
        High = double.NaN,
        Low = double.NaN,
        Volume = double.NaN,
        LogReturn = double.NaN,
        TrueRange = double.NaN,
        Atr14 = double.NaN,
        PrevAtr14 = double.NaN,
        BbUpper = double.NaN,
        BbMiddle = double.NaN,
        BbLower = double.NaN,
        Bandwidth = double.NaN,
        BandwidthPercentile126 = double.NaN,
        BandwidthMin126 = double.NaN,
        Obv = double.NaN,
        Mfi14 = double.NaN,
        Rsi14 = double.NaN,
        Donchian20High = double.NaN,
        Donchian20Low = double.NaN,
        PrevDonchian20High = double.NaN,
        PrevDonchian20Low = double.NaN,
        Donchian55High = double.NaN,
        Donchian55Low = double.NaN,
        PrevDonchian55High = double.NaN,
        PrevDonchian55Low = double.NaN,
        ReturnZ60 = double.NaN,
        VolumePercentile20 = double.NaN,
    };

    /// <summary>How many bars were seen, this one included.</summary>
    public long Bars { readonly get; internal set; }

    /// <summary>This bar's close.</summary>
    public double Close { readonly get; internal set; }

    /// <summary>This bar's high.</summary>
    public double High { readonly get; internal set; }

    /// <summary>This bar's low.</summary>
    public double Low { readonly get; internal set; }

    /// <summary>This bar's volume.</summary>
    public double Volume { readonly get; internal set; }

    /// <summary>ln(close / previous close); NaN on the first bar.</summary>
    public double LogReturn { readonly get; internal set; }

    /// <summary>True range: max(high − low, |high − previous close|, |low − previous close|); NaN on the first bar (TA-Lib).</summary>
    public double TrueRange { readonly get; internal set; }

    /// <summary>ATR(14), Wilder smoothing seeded by the mean of the first 14 true ranges (TA-Lib ATR); from bar index 14.</summary>
    public double Atr14 { readonly get; internal set; }

    /// <summary>ATR(14) at the previous bar.</summary>
    public double PrevAtr14 { readonly get; internal set; }

    /// <summary>Bollinger(20, 2) upper band: SMA20 + 2 population σ (TA-Lib BBANDS, SMA); from bar index 19.</summary>
    public double BbUpper { readonly get; internal set; }

    /// <summary>Bollinger(20, 2) middle band: SMA20 of the close.</summary>
    public double BbMiddle { readonly get; internal set; }

    /// <summary>Bollinger(20, 2) lower band: SMA20 − 2 population σ.</summary>
    public double BbLower { readonly get; internal set; }

    /// <summary>Bollinger bandwidth: (upper − lower) / middle; from bar index 19.</summary>
    public double Bandwidth { readonly get; internal set; }

    /// <summary>
    /// Percentile rank of this bandwidth among the last 126 bandwidths (this one included): the fraction of them
    /// less than or equal to it, in (0, 1]; NaN until 126 bandwidths exist (from bar index 144).
    /// </summary>
    public double BandwidthPercentile126 { readonly get; internal set; }

    /// <summary>The lowest bandwidth of the last 126 (this one included); NaN until 126 bandwidths exist (from bar index 144).</summary>
    public double BandwidthMin126 { readonly get; internal set; }

    /// <summary>On-balance volume, starting at the first bar's volume (TA-Lib OBV).</summary>
    public double Obv { readonly get; internal set; }

    /// <summary>MFI(14) on typical price (TA-Lib MFI), in [0, 100]; from bar index 14.</summary>
    public double Mfi14 { readonly get; internal set; }

    /// <summary>RSI(14) with Wilder smoothing (TA-Lib RSI), in [0, 100]; from bar index 14.</summary>
    public double Rsi14 { readonly get; internal set; }

    /// <summary>Highest high of the 20 bars ending at this bar (TA-Lib MAX); from bar index 19.</summary>
    public double Donchian20High { readonly get; internal set; }

    /// <summary>Lowest low of the 20 bars ending at this bar (TA-Lib MIN); from bar index 19.</summary>
    public double Donchian20Low { readonly get; internal set; }

    /// <summary><see cref="Donchian20High"/> at the previous bar: the channel a breakout is judged against.</summary>
    public double PrevDonchian20High { readonly get; internal set; }

    /// <summary><see cref="Donchian20Low"/> at the previous bar.</summary>
    public double PrevDonchian20Low { readonly get; internal set; }

    /// <summary>Highest high of the 55 bars ending at this bar; from bar index 54.</summary>
    public double Donchian55High { readonly get; internal set; }

    /// <summary>Lowest low of the 55 bars ending at this bar; from bar index 54.</summary>
    public double Donchian55Low { readonly get; internal set; }

    /// <summary><see cref="Donchian55High"/> at the previous bar.</summary>
    public double PrevDonchian55High { readonly get; internal set; }

    /// <summary><see cref="Donchian55Low"/> at the previous bar.</summary>
    public double PrevDonchian55Low { readonly get; internal set; }

    /// <summary>
    /// z-score of this bar's log return against the 60 log returns before it (sample mean and standard
    /// deviation, this return excluded); NaN until 60 earlier returns exist (from bar index 61), and NaN when
    /// those 60 have a standard deviation of 0 (no spread to measure against).
    /// </summary>
    public double ReturnZ60 { readonly get; internal set; }

    /// <summary>
    /// Percentile rank of this bar's volume among the 20 bars before it: the fraction of them with a
    /// lower volume (strictly), in [0, 1]; NaN until 20 earlier bars exist (from bar index 20).
    /// </summary>
    public double VolumePercentile20 { readonly get; internal set; }
}
