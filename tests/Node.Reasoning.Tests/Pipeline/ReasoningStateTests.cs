using System.Buffers;
using CsCheck;
using Node.Reasoning.Findings;
using Node.Reasoning.Memory;
using Node.Reasoning.Tests.Support;

namespace Node.Reasoning.Tests.Pipeline;

public sealed class ReasoningStateTests
{
    [Fact]
    public void A_restored_engine_holds_the_same_calibration_weights_and_baselines()
    {
        var (engine, _) = Trained();
        var saved = Save(engine);

        var restored = new ReasoningEngine(new ReasoningOptions(), new InMemoryReasoningMemory());
        Assert.True(restored.TryRestoreState(saved, out var error), error);

        Assert.Equal(saved, Save(restored));
        Assert.Equal(engine.Aletheia.Reflections, restored.Aletheia.Reflections);
        Assert.Equal(engine.Aletheia.Pool.Weights.ToArray(), restored.Aletheia.Pool.Weights.ToArray());
        foreach (var z in new[] { -3.0, -0.5, 0, 0.7, 2.5 })
        {
            Assert.Equal(engine.Aletheia.Calibrate(z), restored.Aletheia.Calibrate(z));
        }

        Assert.Equal(1, restored.Subjects);
        Assert.Equal(engine.Aletheia.ValidateConfidence(false), restored.Aletheia.ValidateConfidence(false));
    }

    [Fact]
    public void A_restored_memory_recalls_the_same_claim_records_and_recent_conclusions()
    {
        var (_, memory) = Trained();
        memory.AddPacket("spx", 1);
        var saved = Save(memory);

        var restored = new InMemoryReasoningMemory();
        Assert.True(restored.TryRestore(saved, out var error), error);
        Assert.Equal(saved, Save(restored));
        Assert.Equal(memory.Recall("spx", FindingKind.Trend, 1), restored.Recall("spx", FindingKind.Trend, 1));
        Assert.Equal(memory.Conclusions("spx", -1), restored.Conclusions("spx", -1));
        Assert.Equal(new Tally(1, 0), restored.Packets("spx", 1));
    }

    [Fact]
    public void Restoring_never_throws_on_random_or_damaged_bytes()
    {
        var (engine, memory) = Trained();
        var engineState = Save(engine);
        var memoryState = Save(memory);
        Gen.Select(Gen.Int[0, engineState.Length - 1], Gen.Byte, Gen.Int[0, engineState.Length]).Sample((at, value, cut) =>
        {
            var damaged = engineState[..cut];
            if (at < damaged.Length)
            {
                damaged[at] ^= (byte)(value | 1);
            }

            _ = new ReasoningEngine(new ReasoningOptions(), new InMemoryReasoningMemory()).TryRestoreState(damaged, out _);
            var memoryDamaged = memoryState[..Math.Min(cut, memoryState.Length)];
            _ = new InMemoryReasoningMemory().TryRestore(memoryDamaged, out _);
        }, iter: 2000);

        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            Assert.False(new ReasoningEngine(new ReasoningOptions(), new InMemoryReasoningMemory()).TryRestoreState(bytes, out var error));
            Assert.NotNull(error);
            _ = new InMemoryReasoningMemory().TryRestore(bytes, out _);
        });
    }

    [Fact]
    public void A_truncated_state_is_refused_with_the_part_named()
    {
        var (engine, _) = Trained();
        var saved = Save(engine);
        var fresh = new ReasoningEngine(new ReasoningOptions(), new InMemoryReasoningMemory());
        Assert.False(fresh.TryRestoreState(saved.AsSpan(0, saved.Length - 3), out var error));
        Assert.Contains("subject", error, StringComparison.Ordinal);
    }

    private static (ReasoningEngine, InMemoryReasoningMemory) Trained() => TrainedEngine.After(2000);

    private static byte[] Save(ReasoningEngine engine)
    {
        var buffer = new ArrayBufferWriter<byte>();
        engine.SaveState(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Save(InMemoryReasoningMemory memory)
    {
        var buffer = new ArrayBufferWriter<byte>();
        memory.Save(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
