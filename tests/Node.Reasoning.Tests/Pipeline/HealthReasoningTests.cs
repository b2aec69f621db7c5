using Node.Reasoning.Decisions;
using Node.Reasoning.Findings;
using Node.Reasoning.Memory;
using Node.Reasoning.Observations;
using Node.Reasoning.Pipeline;

namespace Node.Reasoning.Tests.Pipeline;

public sealed class HealthReasoningTests
{
    [Fact]
    public void A_memory_leak_asks_for_an_alert_and_then_for_self_healing()
    {
        var engine = new ReasoningEngine(new ReasoningOptions(), new InMemoryReasoningMemory());
        var findings = new FindingBuffer();
        var decisions = new List<(FindingKind, string?)>();
        for (var i = 0; i < 600; i++)
        {
            var memory = Math.Min(0.99, 0.3 + (i * 0.0015));
            Assert.Equal(ObservationProblem.None, engine.ObserveHealth(new HealthSample(1_700_000_000 + (i * 10L), 0.2, memory, 0.4, 3), findings, out var conclusion));
            if (conclusion.HasClaim)
            {
                Assert.InRange(conclusion.Confidence, 0, 1);
                decisions.Add((conclusion.Claim, conclusion.DecisionType));
            }
        }

        Assert.Contains((FindingKind.ExhaustionForecast, DecisionTypes.Alert), decisions);
        Assert.Contains((FindingKind.ResourcePressure, DecisionTypes.SelfHeal), decisions);
        Assert.True(engine.Runs(Reasoner.Kenny) == 600);
    }

    [Fact]
    public void A_transient_spike_asks_for_nothing_and_a_bad_sample_is_refused()
    {
        var engine = new ReasoningEngine(new ReasoningOptions(), new InMemoryReasoningMemory());
        var findings = new FindingBuffer();
        for (var i = 0; i < 100; i++)
        {
            var cpu = i == 50 ? 1.0 : 0.3;
            engine.ObserveHealth(new HealthSample(1_700_000_000 + (i * 10L), cpu, 0.3, 0.4, 3), findings, out var conclusion);
            Assert.False(conclusion.HasClaim);
        }

        Assert.Equal(ObservationProblem.OutOfRange, engine.ObserveHealth(new HealthSample(1_700_100_000, 1.5, 0.3, 0.4, 3), findings, out _));
        Assert.Equal(1, engine.Rejected);
    }
}
