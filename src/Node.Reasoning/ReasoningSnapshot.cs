using System.Buffers;
using System.Buffers.Binary;
using Node.Reasoning.Memory;

namespace Node.Reasoning;

/// <summary>
/// The pipeline's learnt state as one blob, to keep across restarts: the engine's state
/// (calibration, baselines), Joey's memory, and how far the scan of knowledge packets has read.
/// Layout: the engine's part and the memory's part, each after its length (int32, little-endian),
/// then the scan position (int64, little-endian). Pure: where it is kept is the caller's business.
/// </summary>
public static class ReasoningSnapshot
{
    /// <summary>The state of <paramref name="engine"/> and <paramref name="memory"/>, with the scan position.</summary>
    public static byte[] Capture(ReasoningEngine engine, InMemoryReasoningMemory memory, long packetSeq)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(memory);
        var engineState = new ArrayBufferWriter<byte>();
        engine.SaveState(engineState);
        var memoryState = new ArrayBufferWriter<byte>();
        memory.Save(memoryState);
        var blob = new byte[4 + engineState.WrittenCount + 4 + memoryState.WrittenCount + 8];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, engineState.WrittenCount);
        engineState.WrittenSpan.CopyTo(span[4..]);
        span = span[(4 + engineState.WrittenCount)..];
        BinaryPrimitives.WriteInt32LittleEndian(span, memoryState.WrittenCount);
        memoryState.WrittenSpan.CopyTo(span[4..]);
        BinaryPrimitives.WriteInt64LittleEndian(span[(4 + memoryState.WrittenCount)..], packetSeq);
        return blob;
    }

    /// <summary>
    /// Restores <paramref name="engine"/> and <paramref name="memory"/> from <paramref name="saved"/>.
    /// False, with the reason, when any part does not read (never throws on bad bytes).
    /// </summary>
    public static bool TryRestore(ReadOnlySpan<byte> saved, ReasoningEngine engine, InMemoryReasoningMemory memory, out long packetSeq, out string? error)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(memory);
        packetSeq = 0;
        string? engineError = null, memoryError = null;
        if (!TryTake(ref saved, out var enginePart) || !engine.TryRestoreState(enginePart, out engineError))
        {
            error = engineError ?? "reasoning state: the engine's part does not read";
            return false;
        }

        if (!TryTake(ref saved, out var memoryPart) || !memory.TryRestore(memoryPart, out memoryError))
        {
            error = memoryError ?? "reasoning state: the memory's part does not read";
            return false;
        }

        if (saved.Length != 8 || (packetSeq = BinaryPrimitives.ReadInt64LittleEndian(saved)) < 0)
        {
            packetSeq = 0;
            error = "reasoning state: the packet scan's position does not read";
            return false;
        }

        error = null;
        return true;
    }

    // One length-prefixed part off the front.
    private static bool TryTake(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> part)
    {
        part = default;
        if (rest.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(rest);
        if (length < 0 || length > rest.Length - 4)
        {
            return false;
        }

        part = rest.Slice(4, length);
        rest = rest[(4 + length)..];
        return true;
    }
}
