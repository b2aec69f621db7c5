using Node.Reasoning.Observations;

namespace Node.Testing;

/// <summary>
/// The daily S&amp;P 500 bars of Data/sp500-2000.csv (2000-01-03 to 2020-04-17; Data/README.md says
/// where they come from), copied beside every project that references this one and read once.
/// </summary>
public static class Sp500
{
    /// <summary>How many bars the file holds.</summary>
    public const int BarCount = 5_105;

    private static readonly Lazy<Bar[]> Loaded = new(Load);

    /// <summary>The CSV file, as copied beside the tests (or the benchmarks).</summary>
    public static string CsvPath { get; } = Path.Combine(AppContext.BaseDirectory, "Data", "sp500-2000.csv");

    /// <summary>All 5,105 bars, oldest first.</summary>
    public static Bar[] Bars => Loaded.Value;

    /// <summary>The first <paramref name="lines"/> lines of the file (its header first), written to <paramref name="path"/>.</summary>
    public static string WriteHead(string path, int lines)
    {
        File.WriteAllLines(path, File.ReadLines(CsvPath).Take(lines));
        return path;
    }

    private static Bar[] Load()
    {
        var bars = new List<Bar>(BarCount);
        foreach (var line in File.ReadLines(CsvPath))
        {
            if (BarCsv.TryParse(line, out var bar, out var error))
            {
                bars.Add(bar);
            }
            else if (error is not null)
            {
                throw new InvalidDataException($"{CsvPath}: {error}");
            }
        }

        return bars.Count == BarCount
            ? [.. bars]
            : throw new InvalidDataException($"{CsvPath} holds {bars.Count} bars; the tests expect {BarCount}.");
    }
}
