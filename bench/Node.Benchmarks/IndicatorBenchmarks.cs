using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Node.Reasoning.Indicators;
using Node.Reasoning.Observations;

namespace Node.Benchmarks;

/// <summary>
/// <see cref="MarketIndicators.Update"/> per bar, past warm-up, over the 5,105 daily S&amp;P 500 bars
/// (2000–2020), one pass per invocation. Goal: well under a microsecond per bar and 0 B allocated.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class IndicatorBenchmarks
{
    private Bar[] _bars = [];
    private MarketIndicators _indicators = new();

    internal sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(StatisticColumn.P95, StatisticColumn.OperationsPerSecond);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _bars = Sp500.Bars;
        _indicators = new MarketIndicators();
        // Past every lookback (the longest is 144 bars), so each timed update is a steady-state one.
        Update_per_bar();
    }

    [Benchmark(OperationsPerInvoke = Sp500.BarCount, Description = "MarketIndicators.Update (per bar)")]
    public double Update_per_bar()
    {
        foreach (ref readonly var bar in _bars.AsSpan())
        {
            _indicators.Update(bar);
        }

        return _indicators.Current.Atr14;
    }
}
