using Node.Reasoning.Observations;

namespace Node.Reasoning.Tests.Support;

/// <summary>Hand-built daily bar series: each bar from a close, a half-range around it and a volume.</summary>
internal sealed class Series
{
    private static readonly long Start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private readonly List<Bar> _bars = [];

    public IReadOnlyList<Bar> Bars => _bars;

    public int Count => _bars.Count;

    /// <summary>A bar closing at <paramref name="close"/>, opening at the previous close, high/low <paramref name="halfRange"/> around.</summary>
    public Series Add(double close, double volume = 1000, double halfRange = 0.5)
    {
        var open = _bars.Count > 0 ? _bars[^1].Close : close;
        var high = Math.Max(open, close) + halfRange;
        var low = Math.Min(open, close) - halfRange;
        _bars.Add(new Bar(Start + (_bars.Count * 86_400L), open, high, low, close, volume));
        return this;
    }

    /// <summary>A bar with explicit high and low.</summary>
    public Series Add(double close, double high, double low, double volume)
    {
        var open = Math.Clamp(_bars.Count > 0 ? _bars[^1].Close : close, low, high);
        _bars.Add(new Bar(Start + (_bars.Count * 86_400L), open, high, low, close, volume));
        return this;
    }

    /// <summary><paramref name="count"/> bars alternating between <paramref name="centre"/> ± <paramref name="swing"/>.</summary>
    public Series Oscillate(int count, double centre, double swing, double volume = 1000, double halfRange = 0.5)
    {
        for (var i = 0; i < count; i++)
        {
            Add(centre + (i % 2 == 0 ? swing : -swing), volume, halfRange);
        }

        return this;
    }

    /// <summary><paramref name="count"/> bars moving linearly from the last close to <paramref name="to"/>.</summary>
    public Series Ramp(int count, double to, double volume = 1000, double halfRange = 0.5)
    {
        var from = _bars.Count > 0 ? _bars[^1].Close : to;
        for (var i = 1; i <= count; i++)
        {
            Add(from + ((to - from) * i / count), volume, halfRange);
        }

        return this;
    }

    /// <summary><paramref name="count"/> bars of a seeded random walk with daily volatility <paramref name="sigma"/>.</summary>
    public Series Walk(int count, double sigma, int seed, double volume = 1000)
    {
        var random = new Random(seed);
        var close = _bars.Count > 0 ? _bars[^1].Close : 100;
        for (var i = 0; i < count; i++)
        {
            close *= 1 + (sigma * ((random.NextDouble() * 2) - 1));
            Add(close, volume * (0.8 + (0.4 * random.NextDouble())), close * sigma / 2);
        }

        return this;
    }
}
