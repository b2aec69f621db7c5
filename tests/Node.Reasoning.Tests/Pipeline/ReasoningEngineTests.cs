using Node.Reasoning.Findings;
using Node.Reasoning.Memory;
using Node.Reasoning.Observations;
using Node.Reasoning.Pipeline;
using Node.Reasoning.Tests.Support;

namespace Node.Reasoning.Tests.Pipeline;

public sealed class ReasoningEngineTests
{
    private static readonly Bar Good = new(1_600_000_000, 100, 101, 99, 100.5, 1000);

    [Theory]
    [InlineData(double.NaN, 101, 99, 100, 1000, ObservationProblem.NotFinite)]
    [InlineData(100, 101, 0, 100, 1000, ObservationProblem.NonPositivePrice)]
    [InlineData(100, 99, 101, 100, 1000, ObservationProblem.HighBelowLow)]
    [InlineData(100, 101, 99, 102, 1000, ObservationProblem.OutsideRange)]
    [InlineData(100, 101, 99, 100, -1, ObservationProblem.NegativeVolume)]
    public void Perceive_rejects_an_inconsistent_bar_by_name_and_reasons_on(double open, double high, double low, double close,
        double volume, ObservationProblem expected)
    {
        var engine = Engine(Depth.Moderate);
        var findings = new FindingBuffer();
        Assert.Equal(expected, engine.ObserveBar("x", Good with { Open = open, High = high, Low = low, Close = close, Volume = volume }, findings, out var rejected));
        Assert.False(rejected.HasClaim);
        Assert.Equal(1, engine.Rejected);

        Assert.Equal(ObservationProblem.None, engine.ObserveBar("x", Good, findings, out _));
        Assert.Equal(1, engine.Cycles);
    }

    [Fact]
    public void Perceive_rejects_a_bar_that_does_not_come_after_the_previous_one()
    {
        var engine = Engine(Depth.Shallow);
        var findings = new FindingBuffer();
        engine.ObserveBar("x", Good, findings, out _);
        Assert.Equal(ObservationProblem.TimeNotIncreasing, engine.ObserveBar("x", Good, findings, out _));
        Assert.Equal(ObservationProblem.None, engine.ObserveBar("y", Good, findings, out _)); // each subject has its own time
    }

    [Fact]
    public void A_subject_past_the_maximum_is_refused_and_known_ones_go_on()
    {
        var engine = new ReasoningEngine(new ReasoningOptions { MaxSubjects = 1 }, new InMemoryReasoningMemory());
        var findings = new FindingBuffer();
        engine.ObserveBar("a", Good, findings, out _);
        Assert.Equal(ObservationProblem.TooManySubjects, engine.ObserveBar("b", Good, findings, out _));
        Assert.Equal(ObservationProblem.None, engine.ObserveBar("a", Good with { Time = Good.Time + 60 }, findings, out _));
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_the_key_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new ReasoningEngine(new ReasoningOptions { ReflectionInterval = 1 }, new InMemoryReasoningMemory()));
        Assert.Contains("Reasoning:ReflectionInterval", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Depth.Shallow)]
    [InlineData(Depth.Moderate)]
    [InlineData(Depth.Deep)]
    public void Over_the_SP500_file_every_warm_bar_concludes_with_a_probability_and_claims_are_judged(Depth depth)
    {
        var engine = Engine(depth);
        var findings = new FindingBuffer();
        var claims = 0;
        foreach (var bar in Sp500.Bars)
        {
            Assert.Equal(ObservationProblem.None, engine.ObserveBar("spx", bar, findings, out var conclusion));
            if (conclusion.HasClaim)
            {
                claims++;
                Assert.InRange(conclusion.Confidence, 0, 1);
                Assert.True(double.IsFinite(conclusion.Score));
                if (conclusion.DecisionType is not null)
                {
                    Assert.NotEqual(FindingKind.Trend, conclusion.Claim);
                    Assert.True(conclusion.Confidence >= 0.5, "no decision is asked for below the floor");
                }
            }
        }

        Assert.True(claims > Sp500.Bars.Length * 0.9, $"{claims} claims");
        Assert.True(engine.Aletheia.Metrics.Count > claims - 30, "every claim but the last few was judged");
        Assert.True(engine.Aletheia.Reflections >= 40, $"{engine.Aletheia.Reflections} reflections");
        Assert.Equal(depth >= Depth.Moderate, engine.Runs(Reasoner.Aletheia) > 0);
    }

    [Fact]
    public void The_same_bars_give_the_same_conclusions()
    {
        var first = Conclusions(Engine(Depth.Deep));
        var second = Conclusions(Engine(Depth.Deep));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Moderate_depth_runs_every_market_reasoner_and_each_finds_something_on_twenty_years()
    {
        var engine = Engine(Depth.Moderate);
        var findings = new FindingBuffer();
        foreach (var bar in Sp500.Bars)
        {
            engine.ObserveBar("spx", bar, findings, out _);
        }

        foreach (var reasoner in new[] { Reasoner.Kyle, Reasoner.Joey, Reasoner.Aletheia, Reasoner.Id })
        {
            Assert.True(engine.Runs(reasoner) > 0, $"{reasoner} ran");
            Assert.True(engine.FindingsOf(reasoner) > 0, $"{reasoner} found something");
        }
    }

    [Theory]
    [InlineData(Depth.Shallow)]
    [InlineData(Depth.Moderate)]
    [InlineData(Depth.Deep)]
    public void Reasoning_allocates_nothing_per_observation_reflection_included(Depth depth)
    {
        var engine = Engine(depth);
        var findings = new FindingBuffer();
        var bars = Sp500.Bars;
        var span = bars[^1].Time - bars[0].Time + 86_400;
        for (var i = 0; i < bars.Length; i++)
        {
            engine.ObserveBar("spx", bars[i], findings, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        const int observations = 1_000_000;
        for (var i = 0; i < observations; i++)
        {
            var round = 1 + (i / bars.Length);
            var bar = bars[i % bars.Length];
            engine.ObserveBar("spx", bar with { Time = bar.Time + (round * span) }, findings, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(engine.Aletheia.Reflections > 1000);
    }

    private static ReasoningEngine Engine(Depth depth) =>
        new(new ReasoningOptions { Depth = depth }, new InMemoryReasoningMemory());

    private static List<string> Conclusions(ReasoningEngine engine)
    {
        var findings = new FindingBuffer();
        var all = new List<string>();
        foreach (var bar in Sp500.Bars)
        {
            engine.ObserveBar("spx", bar, findings, out var conclusion);
            var stages = conclusion.Stages;
            all.Add($"{conclusion with { Stages = default }} {string.Join(',', ((ReadOnlySpan<double>)stages).ToArray())} {findings.Count}");
        }

        return all;
    }
}
