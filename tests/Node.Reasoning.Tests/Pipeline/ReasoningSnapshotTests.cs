using CsCheck;
using Node.Reasoning.Findings;
using Node.Reasoning.Memory;
using Node.Reasoning.Tests.Support;

namespace Node.Reasoning.Tests.Pipeline;

public sealed class ReasoningSnapshotTests
{
    [Fact]
    public void A_snapshot_restores_the_engine_the_memory_and_the_scan_position()
    {
        var (engine, memory) = Trained();
        memory.AddPacket("spx", -1);
        var blob = ReasoningSnapshot.Capture(engine, memory, packetSeq: 4_242);

        var restoredMemory = new InMemoryReasoningMemory();
        var restored = new ReasoningEngine(new ReasoningOptions { Depth = Depth.Deep }, restoredMemory);
        Assert.True(ReasoningSnapshot.TryRestore(blob, restored, restoredMemory, out var seq, out var error), error);

        Assert.Equal(4_242, seq);
        Assert.Equal(blob, ReasoningSnapshot.Capture(restored, restoredMemory, seq));
        Assert.Equal(engine.Aletheia.Reflections, restored.Aletheia.Reflections);
        Assert.Equal(memory.Packets("spx", -1), restoredMemory.Packets("spx", -1));
        Assert.Equal(new Tally(1, 0), restoredMemory.Packets("spx", -1));
        Assert.Equal(memory.Conclusions("spx", -1), restoredMemory.Conclusions("spx", -1));
    }

    [Fact]
    public void A_fresh_node_snapshot_round_trips()
    {
        var memory = new InMemoryReasoningMemory();
        var blob = ReasoningSnapshot.Capture(new ReasoningEngine(new ReasoningOptions(), memory), memory, packetSeq: 0);

        var again = new InMemoryReasoningMemory();
        Assert.True(ReasoningSnapshot.TryRestore(blob, new ReasoningEngine(new ReasoningOptions(), again), again, out var seq, out var error), error);
        Assert.Equal(0, seq);
    }

    [Theory]
    [InlineData(1, "engine")]
    [InlineData(3, "engine")]
    [InlineData(-1, "scan")]
    [InlineData(-8, "scan")]
    public void A_cut_snapshot_is_refused_with_the_part_that_does_not_read(int cut, string part)
    {
        var (engine, memory) = Trained();
        var blob = ReasoningSnapshot.Capture(engine, memory, packetSeq: 7);
        var length = cut > 0 ? cut : blob.Length + cut;

        var fresh = new InMemoryReasoningMemory();
        Assert.False(ReasoningSnapshot.TryRestore(blob.AsSpan(0, length), new ReasoningEngine(new ReasoningOptions(), fresh), fresh, out var seq, out var error));
        Assert.Contains(part, error, StringComparison.Ordinal);
        Assert.Equal(0, seq);
    }

    [Fact]
    public void A_negative_scan_position_is_refused()
    {
        var memory = new InMemoryReasoningMemory();
        var blob = ReasoningSnapshot.Capture(new ReasoningEngine(new ReasoningOptions(), memory), memory, packetSeq: 1);
        blob[^1] = 0x80; // the int64's sign bit

        var fresh = new InMemoryReasoningMemory();
        Assert.False(ReasoningSnapshot.TryRestore(blob, new ReasoningEngine(new ReasoningOptions(), fresh), fresh, out _, out var error));
        Assert.Contains("scan", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Restoring_never_throws_on_random_or_damaged_bytes()
    {
        var (engine, memory) = Trained();
        var blob = ReasoningSnapshot.Capture(engine, memory, packetSeq: 99);
        Gen.Select(Gen.Int[0, blob.Length - 1], Gen.Byte, Gen.Int[0, blob.Length]).Sample((at, value, cut) =>
        {
            var damaged = blob[..cut];
            if (at < damaged.Length)
            {
                damaged[at] ^= (byte)(value | 1);
            }

            var fresh = new InMemoryReasoningMemory();
            if (!ReasoningSnapshot.TryRestore(damaged, new ReasoningEngine(new ReasoningOptions(), fresh), fresh, out _, out var error))
            {
                Assert.NotNull(error);
            }
        }, iter: 1000);

        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var fresh = new InMemoryReasoningMemory();
            _ = ReasoningSnapshot.TryRestore(bytes, new ReasoningEngine(new ReasoningOptions(), fresh), fresh, out _, out _);
        });
    }

    private static (ReasoningEngine, InMemoryReasoningMemory) Trained() => TrainedEngine.After(600);
}
