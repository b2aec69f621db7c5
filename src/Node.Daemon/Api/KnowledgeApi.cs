using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Node.Federation.Clock;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Trust;
using Node.Protocol.Api;
using Node.Protocol.Packets;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Daemon.Api;

/// <summary>
/// <c>sovereign.api.v1.KnowledgeService</c>: put, get, list and watch knowledge packets; retract this
/// node's own, and the quarantine of sandbox peers' packets (KnowledgeApi.Quarantine.cs).
/// </summary>
internal sealed partial class KnowledgeApi(
    NodeStore store,
    IdentityHost identity,
    HybridClock clock,
    LocalPackets local,
    KnowledgeSlots slots,
    PacketScrub scrub,
    Federation.Sync.QuarantineDesk desk,
    IHostApplicationLifetime lifetime) : KnowledgeService.KnowledgeServiceBase
{
    private const string TextMediaType = "text/plain; charset=utf-8";

    public override async Task<PutKnowledgeReply> Put(PutKnowledgeRequest request, ServerCallContext context)
    {
        var kind = request.Kind switch
        {
            PacketKind.Unspecified => PacketKind.Note,
            PacketKind.Manifest => throw ApiErrors.InvalidArgument("kind", "manifests are made by the node itself"),
            var k when !Enum.IsDefined(k) => throw ApiErrors.InvalidArgument("kind", $"{(int)k} is not a packet kind"),
            var k => k,
        };
        var scope = request.Scope switch
        {
            ShareScope.Unspecified => ShareScope.Local,
            var s when !Enum.IsDefined(s) => throw ApiErrors.InvalidArgument("scope", $"{(int)s} is not a share scope"),
            var s => s,
        };
        if (request.Content.Length > PacketLimits.MaxContentBytes)
        {
            throw ApiErrors.InvalidArgument("content", $"is {request.Content.Length} bytes; a packet holds at most {PacketLimits.MaxContentBytes}");
        }

        var dependencies = References("dependencies", request.Dependencies);
        var supersedes = References("supersedes", request.Supersedes);
        if (kind == PacketKind.Retraction && supersedes.Count == 0)
        {
            throw ApiErrors.InvalidArgument("supersedes", "a retraction must name the packets it retracts");
        }

        var body = new PacketBody
        {
            Author = identity.Identity.Id.ToString(),
            Topic = ApiArguments.Text("topic", request.Topic, PacketLimits.MaxSlotBytes),
            Key = ApiArguments.Text("key", request.Key, PacketLimits.MaxSlotBytes),
            Kind = kind,
            MediaType = request.MediaType.Length == 0 ? TextMediaType : ApiArguments.Text("media_type", request.MediaType, PacketLimits.MaxTypeBytes),
            Content = request.Content,
            Scope = scope,
            Dependencies = { dependencies.Select(ByteString.CopyFrom) },
            Supersedes = { supersedes.Select(ByteString.CopyFrom) },
        };
        using (var reader = store.OpenReader())
        {
            foreach (var dependency in dependencies)
            {
                if (reader.Packets.ById(dependency) is null)
                {
                    throw reader.Packets.CorruptReason(dependency) is { } reason
                        ? ApiErrors.FailedPrecondition($"dependencies: packet {Convert.ToHexStringLower(dependency)} is marked corrupt here ({reason}); nothing can build on it")
                        : ApiErrors.FailedPrecondition($"dependencies: packet {Convert.ToHexStringLower(dependency)} is not stored here; put it first");
                }
            }
        }

        body.Hlc = clock.Now().Value;
        var result = await local.PutAsync(body, context.CancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            IntakeOutcome.Stored or IntakeOutcome.Duplicate or IntakeOutcome.Repaired => new PutKnowledgeReply
            {
                Id = Convert.ToHexStringLower(result.Check.Packet!.Id),
                Seq = result.Seq ?? 0,
                Created = result.Outcome == IntakeOutcome.Stored,
            },
            // Checked above; a dependency removed in between (retention) lands here.
            IntakeOutcome.Held or IntakeOutcome.HoldFull => throw ApiErrors.FailedPrecondition("dependencies: a packet it depends on is no longer stored"),
            _ => throw ApiErrors.InvalidArgument("packet", result.Check.Detail ?? result.Outcome.ToString()),
        };
    }

    public override async Task<KnowledgePacket> Get(GetKnowledgeRequest request, ServerCallContext context)
    {
        switch (request.SelectorCase)
        {
            case GetKnowledgeRequest.SelectorOneofCase.Id:
                var id = ApiArguments.PacketId("id", request.Id);
                StoredPacket? stored;
                string? corrupt;
                using (var reader = store.OpenReader())
                {
                    stored = reader.Packets.ById(id);
                    corrupt = stored is null ? reader.Packets.CorruptReason(id) : null;
                }

                if (stored is not null)
                {
                    if (await scrub.ServeAsync([stored], context.CancellationToken).ConfigureAwait(false) is [var served])
                    {
                        return ToApi(served);
                    }

                    // It failed the check as it was read, and was marked for this reason.
                    corrupt = StoredPackets.CheckIntegrity(stored).Reason;
                }

                throw corrupt is null
                    ? ApiErrors.NotFound($"No packet {request.Id} is stored here.")
                    : ApiErrors.DataLoss($"Packet {request.Id} is stored here but marked corrupt ({corrupt}); it is never served. See nodectl store scrub.");

            case GetKnowledgeRequest.SelectorOneofCase.Slot:
                var topic = ApiArguments.Text("slot.topic", request.Slot.Topic, PacketLimits.MaxSlotBytes);
                var key = ApiArguments.Text("slot.key", request.Slot.Key, PacketLimits.MaxSlotBytes);
                return await slots.ResolveAsync(topic, key, context.CancellationToken).ConfigureAwait(false) switch
                {
                    null => throw ApiErrors.NotFound($"Nothing is stored for topic '{topic}' key '{key}'."),
                    { Current: null } => throw ApiErrors.NotFound($"Topic '{topic}' key '{key}' was retracted."),
                    { Current: { } current, Body: { } body } value => ToApi(current, body, value.OtherContenders),
                    _ => throw new System.Diagnostics.UnreachableException("A slot's current value comes with its body."),
                };
            default:
                throw ApiErrors.InvalidArgument("selector", "give an id or a slot (topic and key)");
        }
    }

    public override async Task<ListKnowledgeReply> List(ListKnowledgeRequest request, ServerCallContext context)
    {
        var size = ApiArguments.PageSize("page_size", request.PageSize);
        var after = ApiArguments.NumberPosition("page_token", request.PageToken);
        IReadOnlyList<StoredPacket> rows;
        using (var reader = store.OpenReader())
        {
            rows = reader.Packets.After(Filter(request.Topic, request.Key, request.Kind, request.Author), after, size + 1);
        }

        var reply = new ListKnowledgeReply();
        // A packet that fails the check as it is read is left out (and marked); the page still ends where the rows did.
        reply.Packets.Add((await scrub.ServeAsync([.. rows.Take(size)], context.CancellationToken).ConfigureAwait(false)).Select(ToApi));
        if (rows.Count > size)
        {
            reply.NextPageToken = ApiArguments.Token(rows[size - 1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return reply;
    }

    public override async Task Watch(WatchKnowledgeRequest request, IServerStreamWriter<KnowledgePacket> responseStream, ServerCallContext context)
    {
        var filter = Filter(request.Topic, "", request.Kind, request.Author);
        if (request.AfterSeq < 0)
        {
            throw ApiErrors.InvalidArgument("after_seq", "must not be negative");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var last = request.AfterSeq;
        if (!request.Replay)
        {
            using var reader = store.OpenReader();
            last = reader.Packets.LastSeq();
        }

        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Taken before the read: a commit in between wakes the wait below.
                var committed = store.Writer.Committed.Next;
                IReadOnlyList<StoredPacket> rows;
                using (var reader = store.OpenReader())
                {
                    rows = reader.Packets.After(filter, last, 256);
                }

                foreach (var served in await scrub.ServeAsync(rows, stop.Token).ConfigureAwait(false))
                {
                    await responseStream.WriteAsync(ToApi(served), stop.Token).ConfigureAwait(false);
                }

                if (rows.Count > 0)
                {
                    last = rows[^1].Seq;
                }

                if (rows.Count == 0)
                {
                    await committed.WaitAsync(stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away or the node is stopping: the stream simply ends.
        }
    }

    private static PacketFilter Filter(string topic, string key, PacketKind kind, string author) => new(
        topic.Length == 0 ? null : ApiArguments.Text("topic", topic, PacketLimits.MaxSlotBytes),
        key.Length == 0 ? null : ApiArguments.Text("key", key, PacketLimits.MaxSlotBytes),
        kind == PacketKind.Unspecified ? null
            : Enum.IsDefined(kind) ? PacketKinds.Name(kind) : throw ApiErrors.InvalidArgument("kind", $"{(int)kind} is not a packet kind"),
        author.Length == 0 ? null : ApiArguments.NodeId("author", author).ToString());

    private static List<byte[]> References(string field, Google.Protobuf.Collections.RepeatedField<string> ids)
    {
        if (ids.Count > PacketLimits.MaxReferences)
        {
            throw ApiErrors.InvalidArgument(field, $"at most {PacketLimits.MaxReferences} ids; got {ids.Count}");
        }

        return [.. ids.Select((id, i) => ApiArguments.PacketId($"{field}[{i}]", id))];
    }

    private static KnowledgePacket ToApi(ServedPacket served) => ToApi(served.Stored, served.Body);

    private static KnowledgePacket ToApi(StoredPacket stored, PacketBody body, IReadOnlyList<byte[]> contenders)
    {
        var packet = ToApi(stored, body);
        packet.Contenders.Add(contenders.Select(Convert.ToHexStringLower));
        return packet;
    }

    private static KnowledgePacket ToApi(StoredPacket stored, PacketBody body) =>
        ToApi(stored.Packet.Id, stored.Seq, stored.ReceivedAt, stored.Packet.Envelope, body);

    private static KnowledgePacket ToApi(byte[] id, long seq, long receivedAt, byte[] envelope, PacketBody body) =>
        new()
        {
            Id = Convert.ToHexStringLower(id),
            Seq = seq,
            Author = body.Author,
            Topic = body.Topic,
            Key = body.Key,
            Kind = body.Kind,
            MediaType = body.MediaType,
            Content = body.Content,
            Hlc = body.Hlc,
            Time = new HybridTimestamp(body.Hlc).UnixMilliseconds,
            ReceivedAt = receivedAt,
            Dependencies = { body.Dependencies.Select(d => Convert.ToHexStringLower(d.Span)) },
            Supersedes = { body.Supersedes.Select(d => Convert.ToHexStringLower(d.Span)) },
            Scope = body.Scope,
            Origin = body.Source?.Origin is { Length: > 0 } origin ? origin : body.Author,
            Envelope = ByteString.CopyFrom(envelope),
        };
}
