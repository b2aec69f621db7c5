using Node.Reasoning.Observations;

namespace Node.Benchmarks;

/// <summary>The S&amp;P 500 bars of the reasoning tests' data file, tests/Node.Reasoning.Tests/Data/sp500-2000.csv, found from the repository root.</summary>
internal static class Sp500File
{
    public const int BarCount = 5_105;

    public static Bar[] Load()
    {
        var path = Find();
        var bars = new List<Bar>(BarCount);
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

        return bars.Count == BarCount
            ? [.. bars]
            : throw new InvalidDataException($"{path} holds {bars.Count} bars; the benchmarks expect {BarCount}.");
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SovereignNode.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "Node.Reasoning.Tests", "Data", "sp500-2000.csv");
            }
        }

        throw new FileNotFoundException("No SovereignNode.sln above the benchmark; run it from the repository.");
    }
}
