using Node.Federation.Packets;
using Node.Protocol.Packets;
using Node.Reasoning;
using Node.Reasoning.Memory;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Daemon.Reasoning;

/// <summary>
/// Where the pipeline's learnt state (<see cref="ReasoningSnapshot"/>) is kept — one <c>memory</c> row of kind
/// <c>reasoning.state</c> — and the scan that feeds knowledge packets to Joey (<see cref="PacketLean"/> decides what counts).
/// </summary>
internal static class ReasoningState
{
    public const string Kind = "reasoning.state";
    public const string DamagedKind = "reasoning.state.damaged";

    /// <summary>The saved state, or null when there is none.</summary>
    public static byte[]? Load(NodeStore store)
    {
        using var reader = store.OpenReader();
        return reader.Memory.Latest(Kind);
    }

    /// <summary>Replaces the saved state with <paramref name="blob"/>.</summary>
    public static Task SaveAsync(NodeStore store, byte[] blob, long now, CancellationToken cancellationToken) =>
        store.Writer.WriteAsync(context =>
        {
            context.Memory.DeleteKind(Kind);
            context.Memory.Insert("", now, Kind, blob);
        }, cancellationToken);

    /// <summary>Keeps a state that does not read under another kind, so nothing is lost, and a fresh one can be saved.</summary>
    public static Task SetAsideAsync(NodeStore store, CancellationToken cancellationToken) =>
        store.Writer.WriteAsync(context => context.Memory.Rekind(Kind, DamagedKind), cancellationToken);

    /// <summary>Tallies packets stored after <paramref name="afterSeq"/> into <paramref name="memory"/>; returns the new position.</summary>
    public static long ScanPackets(NodeStore store, InMemoryReasoningMemory memory, Func<string, bool> isSelf, long afterSeq, int limit)
    {
        IReadOnlyList<StoredPacket> packets;
        using (var reader = store.OpenReader())
        {
            packets = reader.Packets.After(PacketFilter.All, afterSeq, limit);
        }

        var last = afterSeq;
        foreach (var stored in packets)
        {
            last = stored.Seq;
            var packet = stored.Packet;
            if (packet.Kind is not ("decision" or "insight"))
            {
                continue; // not worth decoding
            }

            // Stored packets were verified on intake; one that no longer decodes is skipped here.
            if (PacketBodies.TryRead(packet.Envelope) is { } body &&
                PacketLean.TryRead(packet.Kind, packet.Author, isSelf, body.Content.Span, out var subject, out var direction))
            {
                memory.AddPacket(subject, direction);
            }
        }

        return last;
    }
}
