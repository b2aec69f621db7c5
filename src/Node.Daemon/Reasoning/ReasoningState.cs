using System.Buffers;
using System.Text.Json;
using Node.Protocol.Packets;
using Node.Reasoning;
using Node.Reasoning.Memory;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Daemon.Reasoning;

/// <summary>
/// The pipeline's learnt state in the store — one <c>memory</c> row of kind <c>reasoning.state</c> holding the engine's
/// state (calibration, baselines), Joey's memory and how far the packet scan has read — and the packet scan itself:
/// decision and insight packets whose JSON content names a <c>subject</c> and a <c>direction</c> are tallied for Joey
/// (this node's own decisions are left out: they are its own conclusions).
/// </summary>
internal static class ReasoningState
{
    public const string Kind = "reasoning.state";
    public const string DamagedKind = "reasoning.state.damaged";
    private const int MaxContentBytes = 64 * 1024;

    /// <summary>The saved state, or null when there is none.</summary>
    public static byte[]? Load(NodeStore store)
    {
        using var reader = store.OpenReader();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT content FROM memory WHERE kind = $kind ORDER BY id DESC LIMIT 1";
        command.Parameters.AddWithValue("$kind", Kind);
        return command.ExecuteScalar() as byte[];
    }

    /// <summary>Splits a saved state into its parts and restores them; false with the reason when it does not read.</summary>
    public static bool TryRestore(byte[] saved, ReasoningEngine engine, InMemoryReasoningMemory memory, out long packetSeq, out string? error)
    {
        packetSeq = 0;
        error = null;
        string? engineError = null, memoryError = null;
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(saved));
        if (!reader.TryReadLittleEndian(out int engineLength) || engineLength < 0 || engineLength > reader.Remaining
            || !engine.TryRestoreState(saved.AsSpan((int)reader.Consumed, engineLength), out engineError))
        {
            error = engineError ?? "reasoning state: the engine's part does not read";
            return false;
        }

        reader.Advance(engineLength);
        if (!reader.TryReadLittleEndian(out int memoryLength) || memoryLength < 0 || memoryLength > reader.Remaining
            || !memory.TryRestore(saved.AsSpan((int)reader.Consumed, memoryLength), out memoryError))
        {
            error = memoryError ?? "reasoning state: the memory's part does not read";
            return false;
        }

        reader.Advance(memoryLength);
        if (!reader.TryReadLittleEndian(out packetSeq) || packetSeq < 0 || reader.Remaining != 0)
        {
            error = "reasoning state: the packet scan's position does not read";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The state as one blob: engine, memory, packet scan position.</summary>
    public static byte[] Capture(ReasoningEngine engine, InMemoryReasoningMemory memory, long packetSeq)
    {
        var engineState = new ArrayBufferWriter<byte>();
        engine.SaveState(engineState);
        var memoryState = new ArrayBufferWriter<byte>();
        memory.Save(memoryState);
        var blob = new byte[4 + engineState.WrittenCount + 4 + memoryState.WrittenCount + 8];
        var span = blob.AsSpan();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(span, engineState.WrittenCount);
        engineState.WrittenSpan.CopyTo(span[4..]);
        span = span[(4 + engineState.WrittenCount)..];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(span, memoryState.WrittenCount);
        memoryState.WrittenSpan.CopyTo(span[4..]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(span[(4 + memoryState.WrittenCount)..], packetSeq);
        return blob;
    }

    /// <summary>Replaces the saved state with <paramref name="blob"/>.</summary>
    public static Task SaveAsync(NodeStore store, byte[] blob, long now, CancellationToken cancellationToken) =>
        store.Writer.WriteAsync(context =>
        {
            var delete = context.Command("DELETE FROM memory WHERE kind = $kind");
            delete.Parameters.AddWithValue("$kind", Kind);
            delete.ExecuteNonQuery();
            var insert = context.Command("INSERT INTO memory (subject, time, kind, content) VALUES ('', $time, $kind, $content)");
            insert.Parameters.AddWithValue("$time", now);
            insert.Parameters.AddWithValue("$kind", Kind);
            insert.Parameters.AddWithValue("$content", blob);
            insert.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Keeps a state that does not read under another kind, so nothing is lost, and a fresh one can be saved.</summary>
    public static Task SetAsideAsync(NodeStore store, CancellationToken cancellationToken) =>
        store.Writer.WriteAsync(context =>
        {
            var update = context.Command("UPDATE memory SET kind = $damaged WHERE kind = $kind");
            update.Parameters.AddWithValue("$damaged", DamagedKind);
            update.Parameters.AddWithValue("$kind", Kind);
            update.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Tallies packets stored after <paramref name="afterSeq"/> into <paramref name="memory"/>; returns the new position.</summary>
    public static long ScanPackets(NodeStore store, InMemoryReasoningMemory memory, string self, long afterSeq, int limit)
    {
        using var reader = store.OpenReader();
        var last = afterSeq;
        foreach (var stored in PacketQueries.After(reader, PacketFilter.All, afterSeq, limit))
        {
            last = stored.Seq;
            var packet = stored.Packet;
            var decision = packet.Kind == "decision";
            if (!(decision || packet.Kind == "insight") || (decision && packet.Author == self))
            {
                continue;
            }

            try
            {
                var body = PacketBody.Parser.ParseFrom(Envelope.Parser.ParseFrom(packet.Envelope).Payload);
                if (body.Content.Length <= MaxContentBytes && TryReadLean(body.Content.Span, out var subject, out var direction))
                {
                    memory.AddPacket(subject, direction);
                }
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                // Stored packets were verified on intake; one that no longer decodes is skipped here.
            }
        }

        return last;
    }

    // {"subject": "...", "direction": ±1, ...}: anything else is not a lean Joey can count.
    private static bool TryReadLean(ReadOnlySpan<byte> json, out string subject, out int direction)
    {
        subject = "";
        direction = 0;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSubject = reader.ValueTextEquals("subject"u8);
                var isDirection = reader.ValueTextEquals("direction"u8);
                reader.Read();
                if (isSubject && reader.TokenType == JsonTokenType.String)
                {
                    subject = reader.GetString() ?? "";
                }
                else if (isDirection && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
                {
                    direction = Math.Sign(value);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return subject.Length is > 0 and <= 128 && direction != 0;
    }
}
