using Node.Reasoning.Observations;
using ApiBar = Node.Protocol.Api.Bar;

namespace Node.Daemon.Tests.Support;

/// <summary>Daily S&amp;P 500 bars from 2000 (tests/Node.Reasoning.Tests/Data, linked into this project).</summary>
public static class SpBars
{
    /// <summary>The CSV file, as copied beside the tests.</summary>
    public static string CsvPath { get; } = Path.Combine(AppContext.BaseDirectory, "Data", "sp500-2000.csv");

    /// <summary>The first <paramref name="count"/> bars of the file, as the API takes them.</summary>
    public static IReadOnlyList<ApiBar> First(int count) =>
    [
        .. File.ReadLines(CsvPath)
            .Select(line => BarCsv.TryParse(line.AsSpan(), out var bar, out _) ? bar : (Bar?)null)
            .OfType<Bar>()
            .Take(count)
            .Select(b => new ApiBar { Time = b.Time, Open = b.Open, High = b.High, Low = b.Low, Close = b.Close, Volume = b.Volume }),
    ];

    /// <summary>The first <paramref name="lines"/> lines of the file (its header first), written to <paramref name="path"/>.</summary>
    public static string WriteHead(string path, int lines)
    {
        File.WriteAllLines(path, File.ReadLines(CsvPath).Take(lines));
        return path;
    }
}
