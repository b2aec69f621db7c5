using Google.Protobuf;
using Grpc.Core;
using Node.Protocol.Peer;
using Node.Storage;
using Node.Storage.Packets;
using Node.Storage.Sync;

namespace Node.Federation.Sync;

/// <summary>
/// The answering side of sync, whatever carries it (the peer link's gRPC service, an in-memory
/// network in simulations). Every method serves one view, decided by the caller's tier here before
/// it is called; it never reads a scope from the request without narrowing it to that view.
/// Requests are checked first and refused with INVALID_ARGUMENT naming the field; work per call is
/// bounded by <see cref="SyncLimits"/>.
/// </summary>
public sealed class SyncServer(NodeStore store, AuthorKeys keys, ViewSets views)
{
    /// <summary>One page of the view <paramref name="view"/> after the caller's cursor.</summary>
    public CatchUpReply CatchUp(PacketScope view, CatchUpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Require(request.AfterSeq >= 0, "after_seq: must not be negative");
        Require(request.MaxPackets <= SyncLimits.MaxCatchUpPackets, $"max_packets: at most {SyncLimits.MaxCatchUpPackets}");
        Require(request.Epoch.Length is 0 or SyncLimits.EpochLength, $"epoch: {SyncLimits.EpochLength} bytes, or empty on first contact");
        var reply = new CatchUpReply { Epoch = ByteString.CopyFrom(store.Epoch), ViewScope = (uint)view };
        using var reader = store.OpenReader();
        // Another epoch, a view wider than the caller's (or none), or a cursor past our newest packet (a cursor from
        // the future): no packets, and the view it may have; the caller reconciles. A narrower view is served as asked.
        if (!request.Epoch.Span.SequenceEqual(store.Epoch) || request.ViewScope is not ((uint)PacketScope.Core or (uint)PacketScope.Shareable) ||
            request.ViewScope < (uint)view)
        {
            reply.LastSeq = reader.Packets.LastSeq();
            return reply;
        }

        var served = (PacketScope)request.ViewScope;
        reply.ViewScope = (uint)served;
        var max = request.MaxPackets == 0 ? SyncLimits.DefaultCatchUpPackets : (int)request.MaxPackets;
        var page = reader.Sync.After(served, request.AfterSeq, max, SyncLimits.MaxReplyBytes);
        if (request.AfterSeq > page.LastSeq)
        {
            reply.LastSeq = page.LastSeq;
            return reply;
        }

        reply.ScannedTo = page.ScannedTo;
        reply.LastSeq = page.LastSeq;
        Add(reply.Packets, reply.AuthorKeys, page.Packets);
        return reply;
    }

    /// <summary>Packets of the view <paramref name="view"/> by id.</summary>
    public FetchReply Fetch(PacketScope view, FetchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Require(request.Ids.Count <= SyncLimits.MaxFetchIds, $"ids: at most {SyncLimits.MaxFetchIds}");
        Require(request.Ids.All(i => i.Length == 32), "ids: each is 32 bytes");
        var reply = new FetchReply();
        IReadOnlyList<ViewPacket?> looked;
        using (var reader = store.OpenReader())
        {
            looked = reader.Sync.InView([.. request.Ids.Select(i => i.ToByteArray())], view, SyncLimits.MaxReplyBytes);
        }

        // Past the packet that filled the reply, ids are deferred, not looked at: the caller asks again.
        reply.Absent.Add(request.Ids.Take(looked.Count).Where((_, i) => looked[i] is null));
        reply.Deferred.Add(request.Ids.Skip(looked.Count));
        var found = looked.OfType<ViewPacket>().ToList();
        Add(reply.Packets, reply.AuthorKeys, found);
        return reply;
    }

    /// <summary>One round of set reconciliation over the view <paramref name="view"/>.</summary>
    public ReconcileReply Reconcile(PacketScope view, ReconcileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Require(request.Message.Length <= SyncLimits.MaxReconcileMessageBytes, $"message: at most {SyncLimits.MaxReconcileMessageBytes} bytes");
        var asked = request.ViewScope is (uint)PacketScope.Core or (uint)PacketScope.Shareable ? (PacketScope)request.ViewScope
            : throw Invalid($"view_scope: {(uint)PacketScope.Core} (core) or {(uint)PacketScope.Shareable} (shareable)");
        var reply = new ReconcileReply { Epoch = ByteString.CopyFrom(store.Epoch), ViewScope = (uint)view };
        // Another view than the caller's: it starts again with its own (both sides must order the same universe).
        if (asked != view)
        {
            return reply;
        }

        var (set, snapshot) = request.Snapshot == 0 ? views.Get(view)
            : (views.Pinned(view, request.Snapshot) ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"snapshot: {request.Snapshot} is gone (sets are kept {ViewSets.PinnedFor.TotalMinutes:0} minutes after their last use); start the reconciliation again")),
                request.Snapshot);
        reply.LastSeq = set.LastSeq;
        reply.Snapshot = snapshot;
        var answer = set.Respond(request.Message.Memory);
        reply.Message = answer.Error is { } error ? throw Invalid($"message: {error}") : UnsafeByteOperations.UnsafeWrap(answer.Message);
        return reply;
    }

    private void Add(Google.Protobuf.Collections.RepeatedField<SyncPacket> packets, Google.Protobuf.Collections.RepeatedField<ByteString> authorKeys,
        IReadOnlyList<ViewPacket> found)
    {
        foreach (var packet in found)
        {
            packets.Add(new SyncPacket { Envelope = UnsafeByteOperations.UnsafeWrap(packet.Envelope), Seq = packet.Seq });
        }

        foreach (var author in found.Select(p => p.Author).Distinct(StringComparer.Ordinal))
        {
            if (keys.KeyOf(author) is { } key)
            {
                authorKeys.Add(UnsafeByteOperations.UnsafeWrap(key));
            }
        }
    }

    private static void Require(bool condition, string detail)
    {
        if (!condition)
        {
            throw Invalid(detail);
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
