using BenchmarkDotNet.Attributes;
using Node.Reasoning.Incremental;

namespace Node.Benchmarks;

/// <summary>
/// <see cref="RollingExtreme.Add"/> per value over the S&amp;P 500 highs with a window of 20 and of 200:
/// the monotonic deque's cost per value is independent of the window, so a Donchian 200 costs what a
/// Donchian 20 does.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(IndicatorBenchmarks.Config))]
public class IndicatorWindowBenchmarks
{
    private double[] _highs = [];
    private RollingExtreme _maximum = new(1, maximum: true);

    [Params(20, 200)]
    public int Window { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _highs = [.. Sp500.Bars.Select(b => b.High)];
        _maximum = new RollingExtreme(Window, maximum: true);
        Donchian_high_per_value();
    }

    [Benchmark(OperationsPerInvoke = Sp500.BarCount, Description = "RollingExtreme.Add (per value)")]
    public double Donchian_high_per_value()
    {
        foreach (var high in _highs)
        {
            _maximum.Add(high);
        }

        return _maximum.Value;
    }
}
