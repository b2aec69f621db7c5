using Node.Reasoning.Observations;

namespace Node.Reasoning.Tests.Support;

/// <summary>The daily S&amp;P 500 bars of Data/sp500-2000.csv (2000-01-03 to 2020-04-17), read once.</summary>
internal static class Sp500
{
    private static readonly Lazy<Bar[]> Loaded = new(Load);

    /// <summary>All 5,105 bars, oldest first.</summary>
    public static Bar[] Bars => Loaded.Value;

    private static Bar[] Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "sp500-2000.csv");
        var bars = new List<Bar>();
        foreach (var line in File.ReadLines(path))
        {
            if (BarCsv.TryParse(line, out var bar, out var error))
            {
                bars.Add(bar);
            }
            else if (error is not null)
            {
                throw new InvalidDataException($"{path}: {error}");
            }
        }

        return [.. bars];
    }
}
