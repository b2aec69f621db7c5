using System.Diagnostics;
using System.Globalization;
using System.Text;
using Node.Reasoning.Observations;

namespace Node.Benchmarks;

/// <summary>
/// <c>sovereign-node replay --csv FILE --summary --depth D</c> on a large file, native AOT: the S&amp;P 500 bars
/// repeated to <c>--bars</c> N rows (default 1,000,000), dated one calendar day apart from 0001-01-01 (1 M days
/// end in the year 2738, within yyyy-MM-dd), written to a temporary file. Each depth is replayed <c>--runs</c>
/// times (default 5); the figure is bars over the process's wall time, median of the runs. Also prints the
/// process's cost on a one-bar file (start and exit) and the in-process cost of parsing the file's lines alone,
/// so the pipeline's share can be told from the CSV's.
/// </summary>
internal static class ReplayThroughput
{
    public static int Run(string[] args)
    {
        var count = Option(args, "--bars", 1_000_000);
        var runs = Option(args, "--runs", 5);
        var depths = Array.IndexOf(args, "--depth") is var at and >= 0 && at + 1 < args.Length
            ? [args[at + 1]]
            : new[] { "shallow", "moderate", "deep" };
        var binary = AotBinary.Find();
        var dir = Directory.CreateTempSubdirectory("sovereign-replay-").FullName;
        try
        {
            var csv = Path.Combine(dir, "bars.csv");
            var tiny = Path.Combine(dir, "one.csv");
            Write(csv, Sp500.Bars, count);
            Write(tiny, Sp500.Bars, 1);
            Console.WriteLine($"sovereign-node {binary}, {Environment.ProcessorCount} cores; {count:N0} bars ({new FileInfo(csv).Length / 1e6:F1} MB of CSV), " +
                $"median of {runs} runs per depth");
            var start = Median(runs, () => Replay(binary, tiny, "moderate"));
            Console.WriteLine($"process start and exit (one-bar file): {start.TotalMilliseconds:F1} ms");
            var parse = ParseTime(csv, count);
            Console.WriteLine($"CSV parsing alone, in this process (BarCsv.TryParse on UTF-8 lines): {parse.TotalMilliseconds:F0} ms, " +
                $"{count / parse.TotalSeconds:N0} bars/s, {parse.TotalNanoseconds / count:F0} ns per bar");
            Console.WriteLine("| depth | wall time (median) | min | max | bars/s | goal ≥ 1,000,000 bars/s |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var depth in depths)
            {
                var times = new List<TimeSpan>();
                for (var i = 0; i < runs; i++)
                {
                    times.Add(Replay(binary, csv, depth));
                }

                times.Sort();
                var median = times[times.Count / 2];
                var rate = count / median.TotalSeconds;
                Console.WriteLine($"| {depth} | {median.TotalMilliseconds:F0} ms | {times[0].TotalMilliseconds:F0} ms | {times[^1].TotalMilliseconds:F0} ms | " +
                    $"{rate:N0} | {(rate >= 1_000_000 ? "met" : "not met")} ({rate / 1_000_000:P0}) |");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // One row per calendar day from 0001-01-01; prices and volumes are the S&P file's, cycled.
    private static void Write(string path, Bar[] bars, int count)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("date,open,high,low,close,volume\n");
        var date = DateOnly.MinValue;
        for (var i = 0; i < count; i++, date = date.AddDays(1))
        {
            var b = bars[i % bars.Length];
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd},{b.Open:R},{b.High:R},{b.Low:R},{b.Close:R},{b.Volume:R}\n"));
        }
    }

    private static TimeSpan Replay(string binary, string csv, string depth)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "replay", "--csv", csv, "--summary", "--depth", depth })
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var summary = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"replay exited with {process.ExitCode}: {stderr.Result}");
        }

        if (!summary.Contains("\"bars\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"replay wrote no summary: {summary}");
        }

        return elapsed;
    }

    private static TimeSpan ParseTime(string csv, int count)
    {
        var bytes = File.ReadAllBytes(csv);
        var best = TimeSpan.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            var parsed = 0;
            var rest = bytes.AsSpan();
            while (!rest.IsEmpty)
            {
                var newline = rest.IndexOf((byte)'\n');
                var line = newline < 0 ? rest : rest[..newline];
                rest = newline < 0 ? default : rest[(newline + 1)..];
                if (BarCsv.TryParse(line, out _, out _))
                {
                    parsed++;
                }
            }

            best = clock.Elapsed < best ? clock.Elapsed : best;
            if (parsed != count)
            {
                throw new InvalidDataException($"parsed {parsed} bars of {count}");
            }
        }

        return best;
    }

    private static TimeSpan Median(int runs, Func<TimeSpan> run)
    {
        var times = Enumerable.Range(0, runs).Select(_ => run()).Order().ToList();
        return times[times.Count / 2];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
