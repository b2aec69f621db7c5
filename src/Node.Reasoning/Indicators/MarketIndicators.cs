using Node.Reasoning.Incremental;
using Node.Reasoning.Observations;

namespace Node.Reasoning.Indicators;

/// <summary>
/// The <see cref="MarketFeatures"/> of one market series, updated bar by bar with TA-Lib's definitions
/// (default compatibility, unstable period 0): ATR(14), Bollinger(20, 2), OBV, MFI(14), RSI(14),
/// Donchian 20 and 55, the 60-bar return z-score and the volume and bandwidth percentile ranks.
/// </summary>
/// <remarks>
/// Amortised O(1) per bar (the percentile ranks count over windows of 20 and 126), no allocation after
/// construction, and a fixed amount of state per series. Not thread-safe: one instance per subject.
/// </remarks>
public sealed class MarketIndicators
{
    private readonly AverageTrueRange _atr = new(14);
    private readonly BollingerBands _bollinger = new(20, 2.0);
    private readonly OnBalanceVolume _obv = new();
    private readonly MoneyFlowIndex _mfi = new(14);
    private readonly RelativeStrengthIndex _rsi = new(14);
    private readonly DonchianChannel _donchian20 = new(20);
    private readonly DonchianChannel _donchian55 = new(55);
    private readonly ReturnZScore _returnZ = new(60);
    private readonly PercentileRank _volumeRank = new(20);
    private readonly PercentileRank _bandwidthRank = new(126);
    private readonly RollingExtreme _bandwidthMin = new(126, maximum: false);
    private MarketFeatures _current = MarketFeatures.BeforeAnyBar;

    /// <summary>The features at the latest bar; every value NaN and <see cref="MarketFeatures.Bars"/> 0 before the first.</summary>
    public ref readonly MarketFeatures Current => ref _current;

    /// <summary>Takes the next bar of the series (bars in time order; one per call).</summary>
    public void Update(in Bar bar)
    {
        var previousClose = _current.Close;
        _current.Bars++;
        _current.Close = bar.Close;
        _current.High = bar.High;
        _current.Low = bar.Low;
        _current.Volume = bar.Volume;
        _current.LogReturn = _current.Bars > 1 ? Math.Log(bar.Close / previousClose) : double.NaN;

        _atr.Update(bar.High, bar.Low, bar.Close);
        _current.TrueRange = _atr.TrueRange;
        _current.Atr14 = _atr.Value;
        _current.PrevAtr14 = _atr.Previous;

        _bollinger.Update(bar.Close);
        _current.BbUpper = _bollinger.Upper;
        _current.BbMiddle = _bollinger.Middle;
        _current.BbLower = _bollinger.Lower;
        _current.Bandwidth = _bollinger.Bandwidth;
        UpdateBandwidthRanks(_bollinger.Bandwidth);

        _obv.Update(bar.Close, bar.Volume);
        _current.Obv = _obv.Value;

        _mfi.Update(bar.High, bar.Low, bar.Close, bar.Volume);
        _current.Mfi14 = _mfi.Value;

        _rsi.Update(bar.Close);
        _current.Rsi14 = _rsi.Value;

        _donchian20.Update(bar.High, bar.Low);
        _current.Donchian20High = _donchian20.High;
        _current.Donchian20Low = _donchian20.Low;
        _current.PrevDonchian20High = _donchian20.PreviousHigh;
        _current.PrevDonchian20Low = _donchian20.PreviousLow;

        _donchian55.Update(bar.High, bar.Low);
        _current.Donchian55High = _donchian55.High;
        _current.Donchian55Low = _donchian55.Low;
        _current.PrevDonchian55High = _donchian55.PreviousHigh;
        _current.PrevDonchian55Low = _donchian55.PreviousLow;

        _returnZ.Update(_current.LogReturn);
        _current.ReturnZ60 = _returnZ.Value;

        // Ranked against the bars before it, so the rank is taken before this volume joins them.
        _current.VolumePercentile20 = _volumeRank.IsFull ? _volumeRank.FractionBelow(bar.Volume) : double.NaN;
        _volumeRank.Add(bar.Volume);
    }

    private void UpdateBandwidthRanks(double bandwidth)
    {
        if (double.IsNaN(bandwidth))
        {
            return;
        }

        _bandwidthRank.Add(bandwidth);
        _bandwidthMin.Add(bandwidth);
        _current.BandwidthPercentile126 = _bandwidthRank.IsFull ? _bandwidthRank.FractionAtOrBelow(bandwidth) : double.NaN;
        _current.BandwidthMin126 = _bandwidthMin.IsReady ? _bandwidthMin.Value : double.NaN;
    }
}
