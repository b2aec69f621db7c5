using Node.Reasoning.Findings;
using Node.Reasoning.Indicators;

namespace Node.Reasoning.Reasoners;

/// <summary>
/// Kyle, the market reasoner: patterns and anomalies of one subject's bars, from its
/// <see cref="MarketFeatures"/>. Every rule and its confidence formula is in docs/reasoning.md ("Kyle").
/// Confidences lie in [0.5, 0.95]: 0.5 at a rule's threshold, rising with the margin by which the
/// data clears it.
/// </summary>
/// <remarks>One instance per subject. Not thread-safe. No allocation after construction.</remarks>
public sealed class Kyle
{
    private const double Floor = 0.5;
    private const double Span = 0.45;
    private readonly KyleOptions _options;
    private readonly PivotTracker _pivots;

    /// <summary>Makes Kyle for one subject.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public Kyle(KyleOptions? options = null)
    {
        _options = options ?? new KyleOptions();
        _options.Validate();
        _pivots = new PivotTracker(_options.PivotSpan);
    }

    /// <summary>Adds Kyle's findings on the bar <paramref name="features"/> describe.</summary>
    public void Analyze(in MarketFeatures features, Depth depth, FindingBuffer findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        _pivots.Update(features.Bars - 1, features.High, features.Low, features.Close, features.Obv);
        var strongest = 0.0;
        var direction = 0;

        Trend(features, findings, ref strongest, ref direction);
        Breakout(features, features.PrevDonchian20High, features.PrevDonchian20Low, findings, ref strongest, ref direction);
        if (depth == Depth.Deep)
        {
            Breakout(features, features.PrevDonchian55High, features.PrevDonchian55Low, findings, ref strongest, ref direction);
        }

        ExtremeMove(features, findings, ref strongest, ref direction);
        if (depth >= Depth.Moderate)
        {
            Consolidation(features, findings);
            Pivots(features, findings, ref strongest, ref direction);
        }

        Risk(features, direction, findings);
    }

    // Trend: the close's side of its 20-bar mean; confidence grows with the distance in band half-widths (2σ).
    private static void Trend(in MarketFeatures f, FindingBuffer findings, ref double strongest, ref int direction)
    {
        var halfWidth = f.BbUpper - f.BbMiddle;
        if (!(halfWidth > 0))
        {
            return;
        }

        var offset = f.Close - f.BbMiddle;
        var side = Math.Sign(offset);
        if (side == 0)
        {
            return;
        }

        var confidence = Floor + (Span * Math.Min(1, Math.Abs(offset) / halfWidth));
        Add(findings, new Finding(Reasoner.Kyle, FindingKind.Trend, side, confidence, f.BbMiddle, offset / (halfWidth / 2)),
            ref strongest, ref direction);
    }

    // Breakout: close beyond the previous bar's channel with volume at or above the percentile; confidence is the mean
    // of the margin in ATRs (capped at 1) and how far the volume percentile lies above its threshold.
    private void Breakout(in MarketFeatures f, double channelHigh, double channelLow, FindingBuffer findings, ref double strongest, ref int direction)
    {
        if (double.IsNaN(channelHigh) || !(f.Atr14 > 0) || double.IsNaN(f.VolumePercentile20)
            || f.VolumePercentile20 < _options.BreakoutVolumePercentile)
        {
            return;
        }

        var (side, level) = f.Close > channelHigh ? (1, channelHigh) : f.Close < channelLow ? (-1, channelLow) : (0, 0.0);
        if (side == 0)
        {
            return;
        }

        var margin = Math.Min(1, Math.Abs(f.Close - level) / f.Atr14);
        var room = 1 - _options.BreakoutVolumePercentile;
        var volume = room > 0 ? (f.VolumePercentile20 - _options.BreakoutVolumePercentile) / room : 1;
        var confidence = Floor + (Span * ((0.5 * margin) + (0.5 * volume)));
        Add(findings, new Finding(Reasoner.Kyle, side > 0 ? FindingKind.BreakoutUp : FindingKind.BreakoutDown, side, confidence,
            level, f.VolumePercentile20), ref strongest, ref direction);
    }

    // Extreme move: the larger of |return z-score| and true range / prior ATR at or over the threshold T;
    // confidence rises from 0.5 at T to 0.95 at 2T.
    private void ExtremeMove(in MarketFeatures f, FindingBuffer findings, ref double strongest, ref int direction)
    {
        var z = double.IsNaN(f.ReturnZ60) ? 0 : Math.Abs(f.ReturnZ60);
        var range = f.PrevAtr14 > 0 && !double.IsNaN(f.TrueRange) ? f.TrueRange / f.PrevAtr14 : 0;
        var extremity = Math.Max(z, range);
        var threshold = _options.ExtremeMoveThreshold;
        if (extremity < threshold || double.IsNaN(f.LogReturn))
        {
            return;
        }

        var confidence = Floor + (Span * Math.Min(1, (extremity - threshold) / threshold));
        Add(findings, new Finding(Reasoner.Kyle, FindingKind.ExtremeMove, Math.Sign(f.LogReturn), confidence, f.Close, extremity),
            ref strongest, ref direction);
    }

    // Consolidation: bandwidth in the lowest percentile of its last 126 values; confidence rises as it nears the very low.
    private void Consolidation(in MarketFeatures f, FindingBuffer findings)
    {
        var percentile = f.BandwidthPercentile126;
        var threshold = _options.ConsolidationPercentile;
        if (double.IsNaN(percentile) || percentile > threshold)
        {
            return;
        }

        var confidence = Floor + (Span * (1 - (percentile / threshold)));
        findings.Add(new Finding(Reasoner.Kyle, FindingKind.Consolidation, 0, confidence, f.Bandwidth, percentile));
    }

    // Reversal: a pivot high (low) confirmed after a rise (decline) into it, with the close now back below (above) the
    // pivot's close; confidence from the distance between pivot price and close, in ATRs over 2.
    // Divergence: a confirmed pivot high above the previous one while OBV at it is lower (and mirrored for lows);
    // confidence from the price difference between the pivots, in ATRs over 2.
    private void Pivots(in MarketFeatures f, FindingBuffer findings, ref double strongest, ref int direction)
    {
        if (!(f.Atr14 > 0))
        {
            return;
        }

        var high = _pivots.ConfirmedHigh;
        if (high.Exists)
        {
            if (high.Close > high.CloseBefore && f.Close < high.Close)
            {
                var margin = (high.Price - f.Close) / f.Atr14;
                Add(findings, new Finding(Reasoner.Kyle, FindingKind.ReversalBearish, -1, Floor + (Span * Math.Min(1, margin / 2)),
                    high.Price, margin), ref strongest, ref direction);
            }

            var previous = _pivots.PreviousHigh;
            if (previous.Exists && high.Price > previous.Price && high.Obv < previous.Obv)
            {
                var margin = (high.Price - previous.Price) / f.Atr14;
                Add(findings, new Finding(Reasoner.Kyle, FindingKind.DivergenceBearish, -1, Floor + (Span * Math.Min(1, margin / 2)),
                    high.Price, high.Obv - previous.Obv), ref strongest, ref direction);
            }
        }

        var low = _pivots.ConfirmedLow;
        if (low.Exists)
        {
            if (low.Close < low.CloseBefore && f.Close > low.Close)
            {
                var margin = (f.Close - low.Price) / f.Atr14;
                Add(findings, new Finding(Reasoner.Kyle, FindingKind.ReversalBullish, 1, Floor + (Span * Math.Min(1, margin / 2)),
                    low.Price, margin), ref strongest, ref direction);
            }

            var previous = _pivots.PreviousLow;
            if (previous.Exists && low.Price < previous.Price && low.Obv > previous.Obv)
            {
                var margin = (previous.Price - low.Price) / f.Atr14;
                Add(findings, new Finding(Reasoner.Kyle, FindingKind.DivergenceBullish, 1, Floor + (Span * Math.Min(1, margin / 2)),
                    low.Price, low.Obv - previous.Obv), ref strongest, ref direction);
            }
        }
    }

    // ATR risk of acting on the strongest direction: the stop k·ATR away; confidence falls linearly from 1 with no
    // distance to 0 at a stop 10% of the price away.
    private void Risk(in MarketFeatures f, int direction, FindingBuffer findings)
    {
        if (direction == 0 || !(f.Atr14 > 0) || !(f.Close > 0))
        {
            return;
        }

        var distance = _options.StopAtrs * f.Atr14;
        var fraction = distance / f.Close;
        findings.Add(new Finding(Reasoner.Kyle, FindingKind.AtrRisk, 0, Math.Max(0, 1 - (fraction / 0.10)),
            f.Close - (direction * distance), fraction));
    }

    private static void Add(FindingBuffer findings, in Finding finding, ref double strongest, ref int direction)
    {
        findings.Add(finding);
        if (finding.Confidence > strongest)
        {
            strongest = finding.Confidence;
            direction = finding.Direction;
        }
    }
}
