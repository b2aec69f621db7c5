using Node.Reasoning.Findings;
using Node.Reasoning.Observations;
using Node.Reasoning.Reasoners;

namespace Node.Reasoning.Tests.Reasoners;

public sealed class KennyTests
{
    private const long T0 = 1_800_000_000;
    private const int Step = 10; // seconds between samples

    private readonly Kenny _kenny = new();
    private readonly FindingBuffer _findings = new();
    private readonly List<(int Index, Finding Finding)> _seen = [];
    private int _index;

    [Fact]
    public void Forecasts_a_memory_leak_then_reports_pressure_once_it_crosses_the_enter_level()
    {
        const double slopePerSecond = 0.0001;
        var random = new Random(20261124);
        double Leak(int i) => 0.5 + (slopePerSecond * Step * i);

        for (var i = 0; i < 450; i++)
        {
            Feed(memory: Leak(i) + ((random.NextDouble() - 0.5) * 0.004));
        }

        var forecasts = Of(FindingKind.ExhaustionForecast);
        var pressures = Of(FindingKind.ResourcePressure);
        var forecast = Assert.Single(forecasts);
        var pressure = Assert.Single(pressures);
        var trueSeconds = (1 - Leak(forecast.Index)) / slopePerSecond;
        Assert.Equal(Resource.Memory, forecast.Finding.Resource);
        Assert.InRange(forecast.Finding.Evidence, 0.9 * trueSeconds, 1.1 * trueSeconds);
        Assert.InRange(forecast.Finding.Confidence, 0.5, 1);

        Assert.True(pressure.Index > forecast.Index);
        Assert.Equal(Resource.Memory, pressure.Finding.Resource);
        Assert.Equal(+1, pressure.Finding.Direction);
        Assert.True(Leak(pressure.Index) >= 0.85);
        Assert.True(Leak(pressure.Index) < 0.87, "pressure is reported soon after the leak crosses 0.85");
        Assert.Empty(Of(FindingKind.ResourceRecovered));
        Assert.Equal(2, _seen.Count); // nothing else: CPU, disk and latency are steady

        var state = _kenny.State(Resource.Memory);
        Assert.True(state.InPressure);
        Assert.InRange(state.SecondsToExhaustion, 0, 1.1 * ((1 - Leak(449)) / slopePerSecond));
    }

    [Fact]
    public void A_steady_leak_is_forecast_once_and_again_when_it_speeds_up()
    {
        var random = new Random(7);
        var memory = 0.3;
        for (var i = 0; i < 300; i++)
        {
            memory += 0.0002; // 2e-5 a second: exhaustion about 10 hours away
            Feed(memory: memory + ((random.NextDouble() - 0.5) * 0.001));
        }

        Assert.Single(Of(FindingKind.ExhaustionForecast));

        for (var i = 0; i < 200; i++)
        {
            memory += 0.002; // ten times faster: under an hour left
            Feed(memory: memory + ((random.NextDouble() - 0.5) * 0.001));
        }

        var forecasts = Of(FindingKind.ExhaustionForecast);
        Assert.InRange(forecasts.Count, 2, 5);
        var trueSeconds = (1 - memory) / 0.0002;
        Assert.InRange(_kenny.State(Resource.Memory).SecondsToExhaustion, 0.9 * trueSeconds, 1.1 * trueSeconds);
        Assert.True(forecasts[^1].Finding.Evidence < forecasts[0].Finding.Evidence / 5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_transient_memory_spike_yields_no_finding_at_all(int spikeSamples)
    {
        for (var i = 0; i < 100; i++)
        {
            Feed(memory: 0.3);
        }

        for (var i = 0; i < spikeSamples; i++)
        {
            Feed(memory: 0.99);
        }

        for (var i = 0; i < 100; i++)
        {
            Feed(memory: 0.3);
        }

        Assert.Empty(_seen);
        Assert.False(_kenny.State(Resource.Memory).InPressure);
    }

    [Fact]
    public void Hovering_between_the_exit_and_enter_levels_after_entering_does_not_recover()
    {
        Repeat(10, memory: 0.95);
        Assert.Single(Of(FindingKind.ResourcePressure));

        for (var i = 0; i < 60; i++)
        {
            Feed(memory: i % 2 == 0 ? 0.76 : 0.84);
        }

        Assert.Empty(Of(FindingKind.ResourceRecovered));
        Assert.True(_kenny.State(Resource.Memory).InPressure);
    }

    [Fact]
    public void Dropping_below_the_exit_level_recovers_once()
    {
        Repeat(10, memory: 0.95);
        Repeat(30, memory: 0.80);
        Repeat(30, memory: 0.50);
        Repeat(30, memory: 0.80); // back in the band, but below the enter level: no new pressure

        var recovered = Assert.Single(Of(FindingKind.ResourceRecovered));
        Assert.Equal(-1, recovered.Finding.Direction);
        Assert.Equal(Resource.Memory, recovered.Finding.Resource);
        Assert.True(recovered.Finding.Level < 0.75);
        Assert.Single(Of(FindingKind.ResourcePressure));
        Assert.False(_kenny.State(Resource.Memory).InPressure);
    }

    [Fact]
    public void Deeper_pressure_is_reported_with_more_confidence()
    {
        var shallow = new Kenny();
        var deep = new Kenny();
        var shallowFindings = new FindingBuffer();
        var deepFindings = new FindingBuffer();
        for (var i = 0; i < 10; i++)
        {
            shallow.Observe(Sample(i, memory: 0.86), shallowFindings);
            deep.Observe(Sample(i, memory: 0.99), deepFindings);
        }

        var low = Assert.Single(shallowFindings.Items.ToArray()).Confidence;
        var high = Assert.Single(deepFindings.Items.ToArray()).Confidence;
        Assert.InRange(low, 0.55, high - 0.2);
        Assert.InRange(high, 0.8, 1);
    }

    [Fact]
    public void Latency_pressure_is_read_in_milliseconds()
    {
        Repeat(10, latencyMs: 400);

        var pressure = Assert.Single(_seen);
        Assert.Equal(Resource.Latency, pressure.Finding.Resource);
        Assert.Equal(FindingKind.ResourcePressure, pressure.Finding.Kind);
        Assert.True(_kenny.State(Resource.Latency).InPressure);
    }

    [Fact]
    public void Cpu_noise_around_one_half_yields_no_finding()
    {
        var random = new Random(42);
        for (var i = 0; i < 10_000; i++)
        {
            Feed(cpu: 0.5 + ((random.NextDouble() - 0.5) * 0.6));
        }

        Assert.Empty(_seen);
        Assert.InRange(_kenny.State(Resource.Cpu).Ewma, 0.3, 0.7);
    }

    public static TheoryData<HealthSample> InvalidSamples => new()
    {
        new HealthSample(T0 + 100, double.NaN, 0.5, 0.5, 10),
        new HealthSample(T0 + 100, 0.2, 1.01, 0.5, 10),
        new HealthSample(T0 + 100, 0.2, 0.5, -0.01, 10),
        new HealthSample(T0 + 100, 0.2, 0.5, 0.5, double.NaN),
        new HealthSample(T0 + 100, 0.2, 0.5, 0.5, -1),
        new HealthSample(T0 + 100, 0.2, 0.5, 0.5, double.PositiveInfinity),
        new HealthSample(T0 + 100, 0.2, double.NegativeInfinity, 0.5, 10),
        new HealthSample(T0 - 10, 0.2, 0.5, 0.5, 10), // time went backwards
        new HealthSample(T0, 0.2, 0.5, 0.5, 10), // time did not advance
    };

    [Theory]
    [MemberData(nameof(InvalidSamples))]
    public void An_invalid_sample_is_rejected_and_counted_without_changing_anything(HealthSample sample)
    {
        _kenny.Observe(new HealthSample(T0, 0.2, 0.5, 0.5, 10), _findings);
        var before = _kenny.State(Resource.Memory);

        _kenny.Observe(sample, _findings);

        Assert.Equal(1, _kenny.Rejected);
        Assert.Equal(1, _kenny.Accepted);
        Assert.Equal(before, _kenny.State(Resource.Memory));
        Assert.Equal(0, _findings.Count);
    }

    [Fact]
    public void Observes_a_hundred_thousand_samples_without_allocating()
    {
        // A sawtooth leak: rises for 500 samples and drops, so pressure, recovery and forecasts all fire.
        static HealthSample At(int i) =>
            new(T0 + (i * Step), 0.5, 0.4 + (0.0012 * (i % 500)), 0.3 + (0.0013 * (i % 500)), i % 700 < 20 ? 300 : 20);

        var i = 0;
        var fired = 0;
        for (; i < 2_000; i++)
        {
            _findings.Clear();
            _kenny.Observe(At(i), _findings);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (; i < 102_000; i++)
        {
            _findings.Clear();
            _kenny.Observe(At(i), _findings);
            fired += _findings.Count;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(fired > 100, $"only {fired} findings: the run did not exercise the reporting paths");
    }

    [Fact]
    public void Will_not_be_made_from_invalid_options()
    {
        var options = new KennyOptions { LatencyMs = new PressureLevels { Enter = 100, Exit = 150 } };

        var error = Assert.Throws<ArgumentException>(() => new Kenny(options));

        Assert.Contains("Reasoning:Kenny:LatencyMs:Exit", error.Message, StringComparison.Ordinal);
        Assert.Null(new KennyOptions().Validate());
    }

    private static HealthSample Sample(int index, double cpu = 0.2, double memory = 0.4, double disk = 0.5, double latencyMs = 10) =>
        new(T0 + (index * Step), cpu, memory, disk, latencyMs);

    private void Feed(double cpu = 0.2, double memory = 0.4, double disk = 0.5, double latencyMs = 10)
    {
        _findings.Clear();
        _kenny.Observe(Sample(_index, cpu, memory, disk, latencyMs), _findings);
        foreach (var finding in _findings.Items)
        {
            Assert.Equal(Reasoner.Kenny, finding.Reasoner);
            _seen.Add((_index, finding));
        }

        _index++;
    }

    private void Repeat(int count, double memory = 0.4, double latencyMs = 10)
    {
        for (var i = 0; i < count; i++)
        {
            Feed(memory: memory, latencyMs: latencyMs);
        }
    }

    private List<(int Index, Finding Finding)> Of(FindingKind kind) => _seen.FindAll(s => s.Finding.Kind == kind);
}
