using Node.Reasoning.Observations;

namespace Node.Reasoning.Tests.Indicators;

/// <summary>
/// Straightforward whole-array computations of each feature from TA-Lib's definitions, sharing no code
/// with the streaming implementation: every window is summed afresh, variances are two-pass.
/// Each returns one value per bar, NaN where TA-Lib's lookback gives none.
/// </summary>
internal static class TaLibReference
{
    public static double[] LogReturn(Bar[] bars) =>
        Fill(bars.Length, 1, i => Math.Log(bars[i].Close / bars[i - 1].Close));

    public static double[] TrueRange(Bar[] bars) => Fill(bars.Length, 1, i =>
    {
        var previousClose = bars[i - 1].Close;
        return new[] { bars[i].High - bars[i].Low, Math.Abs(bars[i].High - previousClose), Math.Abs(bars[i].Low - previousClose) }.Max();
    });

    public static double[] Atr(Bar[] bars, int period)
    {
        var trueRange = TrueRange(bars);
        var atr = Nans(bars.Length);
        var seed = 0.0;
        for (var i = 1; i <= period; i++)
        {
            seed += trueRange[i];
        }

        atr[period] = seed / period;
        for (var i = period + 1; i < bars.Length; i++)
        {
            atr[i] = ((atr[i - 1] * (period - 1)) + trueRange[i]) / period;
        }

        return atr;
    }

    public static double[] Previous(double[] values) => Fill(values.Length, 1, i => values[i - 1]);

    public static double[] Sma(Bar[] bars, int period) => Fill(bars.Length, period - 1, i =>
    {
        var sum = 0.0;
        for (var j = i - period + 1; j <= i; j++)
        {
            sum += bars[j].Close;
        }

        return sum / period;
    });

    public static double[] PopulationStdDev(Bar[] bars, int period)
    {
        var sma = Sma(bars, period);
        return Fill(bars.Length, period - 1, i =>
        {
            var squares = 0.0;
            for (var j = i - period + 1; j <= i; j++)
            {
                squares += (bars[j].Close - sma[i]) * (bars[j].Close - sma[i]);
            }

            return Math.Sqrt(squares / period);
        });
    }

    public static (double[] Upper, double[] Middle, double[] Lower, double[] Bandwidth) Bollinger(Bar[] bars, int period, double deviations)
    {
        var middle = Sma(bars, period);
        var sigma = PopulationStdDev(bars, period);
        var upper = Fill(bars.Length, period - 1, i => middle[i] + (deviations * sigma[i]));
        var lower = Fill(bars.Length, period - 1, i => middle[i] - (deviations * sigma[i]));
        var bandwidth = Fill(bars.Length, period - 1, i => (upper[i] - lower[i]) / middle[i]);
        return (upper, middle, lower, bandwidth);
    }

    public static double[] Obv(Bar[] bars)
    {
        var obv = new double[bars.Length];
        obv[0] = bars[0].Volume;
        for (var i = 1; i < bars.Length; i++)
        {
            obv[i] = obv[i - 1] + (bars[i].Close > bars[i - 1].Close ? bars[i].Volume : bars[i].Close < bars[i - 1].Close ? -bars[i].Volume : 0);
        }

        return obv;
    }

    public static double[] Mfi(Bar[] bars, int period)
    {
        double Typical(int i) => (bars[i].High + bars[i].Low + bars[i].Close) / 3.0;
        return Fill(bars.Length, period, i =>
        {
            double positive = 0, negative = 0;
            for (var j = i - period + 1; j <= i; j++)
            {
                if (Typical(j) > Typical(j - 1))
                {
                    positive += Typical(j) * bars[j].Volume;
                }
                else if (Typical(j) < Typical(j - 1))
                {
                    negative += Typical(j) * bars[j].Volume;
                }
            }

            return positive + negative < 1 ? 0 : 100 * positive / (positive + negative);
        });
    }

    public static double[] Rsi(Bar[] bars, int period)
    {
        var rsi = Nans(bars.Length);
        double gain = 0, loss = 0;
        for (var i = 1; i < bars.Length; i++)
        {
            var change = bars[i].Close - bars[i - 1].Close;
            var up = Math.Max(change, 0);
            var down = Math.Max(-change, 0);
            if (i < period)
            {
                gain += up;
                loss += down;
                continue;
            }

            if (i == period)
            {
                gain = (gain + up) / period;
                loss = (loss + down) / period;
            }
            else
            {
                gain = ((gain * (period - 1)) + up) / period;
                loss = ((loss * (period - 1)) + down) / period;
            }

            rsi[i] = gain + loss == 0 ? 0 : 100 * gain / (gain + loss);
        }

        return rsi;
    }

    public static double[] MaxHigh(Bar[] bars, int period) =>
        Fill(bars.Length, period - 1, i => bars.Skip(i - period + 1).Take(period).Max(b => b.High));

    public static double[] MinLow(Bar[] bars, int period) =>
        Fill(bars.Length, period - 1, i => bars.Skip(i - period + 1).Take(period).Min(b => b.Low));

    /// <summary>z of return i against returns i−window … i−1: sample mean and sample standard deviation, two-pass.</summary>
    public static double[] ReturnZ(Bar[] bars, int window)
    {
        var returns = LogReturn(bars);
        return Fill(bars.Length, window + 1, i =>
        {
            var earlier = returns.AsSpan(i - window, window).ToArray();
            var mean = earlier.Sum() / window;
            var squares = earlier.Sum(r => (r - mean) * (r - mean));
            var deviation = Math.Sqrt(squares / (window - 1));
            return deviation > 0 ? (returns[i] - mean) / deviation : double.NaN;
        });
    }

    /// <summary>The fraction of the <paramref name="window"/> bars before bar i whose volume is below bar i's.</summary>
    public static double[] VolumePercentile(Bar[] bars, int window) =>
        Fill(bars.Length, window, i => (double)bars.Skip(i - window).Take(window).Count(b => b.Volume < bars[i].Volume) / window);

    /// <summary>The fraction of the last <paramref name="window"/> values (value i included) at or below value i.</summary>
    public static double[] PercentileAtOrBelow(double[] values, int window)
    {
        var first = Array.FindIndex(values, v => !double.IsNaN(v));
        return Fill(values.Length, first + window - 1, i =>
            (double)values.Skip(i - window + 1).Take(window).Count(v => v <= values[i]) / window);
    }

    public static double[] Minimum(double[] values, int window)
    {
        var first = Array.FindIndex(values, v => !double.IsNaN(v));
        return Fill(values.Length, first + window - 1, i => values.Skip(i - window + 1).Take(window).Min());
    }

    private static double[] Fill(int length, int first, Func<int, double> value)
    {
        var values = Nans(length);
        for (var i = first; i < length; i++)
        {
            values[i] = value(i);
        }

        return values;
    }

    private static double[] Nans(int length)
    {
        var values = new double[length];
        Array.Fill(values, double.NaN);
        return values;
    }
}
