using Node.Reasoning.Findings;
using Node.Reasoning.Memory;

namespace Node.Reasoning.Tests.Support;

/// <summary>A deep engine and its memory after the first <c>bars</c> S&amp;P 500 bars, for tests of saved state.</summary>
internal static class TrainedEngine
{
    public static (ReasoningEngine Engine, InMemoryReasoningMemory Memory) After(int bars)
    {
        var memory = new InMemoryReasoningMemory();
        var engine = new ReasoningEngine(new ReasoningOptions { Depth = Depth.Deep }, memory);
        var findings = new FindingBuffer();
        foreach (var bar in Sp500.Bars.AsSpan(0, bars))
        {
            engine.ObserveBar("spx", bar, findings, out _);
        }

        return (engine, memory);
    }
}
